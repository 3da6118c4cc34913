import { apiGroupOf, findingFor, joinFieldPath, type Finding, type RenderedObject } from '@flotilla/model';
import { CONSTRAINT_GROUP, wildcardMatches, type FlotillaPolicyKind } from '@flotilla/policy';
import { field, listOf, type ClusterIndex } from './cluster-index';
import { POD_SPEC_PATHS } from './pod-specs';

/** The constraint kind whose template asks Ratify for every pod image (policies/supply-chain/imagesignatures). */
const IMAGE_SIGNATURES_KIND: FlotillaPolicyKind = 'FlotillaImageSignatures';
const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** What a `deny` FlotillaImageSignatures constraint of the cluster requires of the images it covers. */
export interface EnforcingPolicy {
  readonly name: string;
  /** `spec.parameters.registries`: images below one of them are sent to Ratify. */
  readonly registries: readonly string[];
  /** `spec.match.excludedNamespaces` (Gatekeeper wildcards: a leading or trailing `*`). */
  readonly excluded: readonly string[];
  /** `spec.match.namespaces`, when the constraint lists the namespaces it applies to. */
  readonly only?: readonly string[];
  /** A namespace or label selector this check cannot evaluate: then every namespace is assumed covered. */
  readonly unknownSelector: boolean;
}

/** The reference as a registry sees it: Docker Hub's implicit host and `library/` filled in. */
export function normalizeImage(image: string): string {
  const first = image.split('/')[0]!;
  const hasHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasHost) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

/** Whether the template sends `image` to Ratify: it continues a registry with `/` (as the Rego's `startswith`). */
export function inRegistries(image: string, registries: readonly string[]): boolean {
  return registries.some((registry) => image.startsWith(`${registry.replace(/\/+$/, '')}/`));
}

/**
 * The cluster's FlotillaImageSignatures constraints that `deny` (prod): a cluster with one admits
 * only images Ratify verifies. `warn` and `dryrun` (dev, staging) admit everything.
 */
export function enforcingPolicies(index: ClusterIndex): EnforcingPolicy[] {
  const out: EnforcingPolicy[] = [];
  for (const constraint of index.ofKind(CONSTRAINT_GROUP, IMAGE_SIGNATURES_KIND)) {
    const action = field<string>(constraint.object.spec, 'enforcementAction') ?? 'deny';
    if (action !== 'deny') continue;
    const registries = listOf<unknown>(field(constraint.object.spec, 'parameters', 'registries')).filter((r): r is string => typeof r === 'string');
    const match = field<Record<string, unknown>>(constraint.object.spec, 'match') ?? {};
    const excluded = listOf<unknown>(match.excludedNamespaces).filter((n): n is string => typeof n === 'string');
    const only = listOf<unknown>(match.namespaces).filter((n): n is string => typeof n === 'string');
    out.push({
      name: constraint.object.metadata.name,
      registries,
      excluded,
      ...(only.length > 0 ? { only } : {}),
      unknownSelector: match.namespaceSelector !== undefined || match.labelSelector !== undefined,
    });
  }
  return out;
}

/** Whether the constraint reviews pods of `namespace` (its namespace lists; a selector counts as covering). */
function appliesTo(policy: EnforcingPolicy, namespace: string): boolean {
  if (policy.unknownSelector) return true;
  if (policy.only && !policy.only.some((pattern) => wildcardMatches(pattern, namespace))) return false;
  return !policy.excluded.some((pattern) => wildcardMatches(pattern, namespace));
}

interface ImageField {
  readonly path: (string | number)[];
  readonly image: string;
}

/** Every container image of a pod template (init, regular and ephemeral containers). */
function podImages(rendered: RenderedObject): ImageField[] {
  const base = POD_SPEC_PATHS[`${apiGroupOf(rendered.object.apiVersion)}/${rendered.object.kind}`];
  if (!base) return [];
  const spec = field<Record<string, unknown>>(rendered.object, ...base);
  if (!spec || typeof spec !== 'object') return [];
  const out: ImageField[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    listOf<{ image?: unknown }>(spec[list]).forEach((container, i) => {
      if (typeof container?.image === 'string') out.push({ path: [...base, list, i, 'image'], image: container.image });
    });
  }
  return out;
}

/**
 * Image references a HelmRelease's values spell out in full: an `image` map with a `repository`
 * that names a registry host (plus `registry`, `tag`, `digest` where set). A map that sets only a
 * tag leaves the repository to the chart's defaults, which this check does not know.
 */
function helmValueImages(release: RenderedObject): ImageField[] {
  const out: ImageField[] = [];
  const visit = (value: unknown, path: (string | number)[], depth: number) => {
    if (!value || typeof value !== 'object' || depth > 8) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, i], depth + 1));
      return;
    }
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'image' && child && typeof child === 'object' && !Array.isArray(child)) {
        const { registry, repository, tag, digest } = child as Record<string, unknown>;
        if (typeof repository === 'string') {
          const name = typeof registry === 'string' && registry ? `${registry}/${repository}` : repository;
          const host = name.split('/')[0]!;
          if (name.includes('/') && (host.includes('.') || host.includes(':'))) {
            const ref = `${name}${typeof tag === 'string' && tag ? `:${tag}` : ''}${typeof digest === 'string' && digest ? `@${digest}` : ''}`;
            out.push({ path: [...path, key, 'repository'], image: ref });
          }
        }
      }
      visit(child, [...path, key], depth + 1);
    }
  };
  visit(field(release.object.spec, 'values'), ['spec', 'values'], 0);
  return out;
}

/**
 * Before merge, what Gatekeeper and Ratify will demand at admission: in a cluster with a
 * `FlotillaImageSignatures` constraint that `deny`s (prod), every image of every pod template in a
 * namespace the constraint reviews must be a digest reference (`@sha256:`) from one of its
 * `registries`, so that each one is signature-checked and pinned. Images in HelmRelease values are
 * checked where the values spell out the registry: those from a covered registry must carry a
 * digest. A cluster whose constraint only warns or audits (`warn`, `dryrun`) is not checked.
 */
export function checkSignedImages(index: ClusterIndex): Finding[] {
  const policies = enforcingPolicies(index);
  if (policies.length === 0) return [];
  const cluster = index.cluster ?? '(none)';
  const applying = (namespace: string) => policies.filter((p) => appliesTo(p, namespace));
  const findings: Finding[] = [];
  for (const rendered of index.objects) {
    const namespace = rendered.object.metadata.namespace ?? 'default';
    const isRelease = apiGroupOf(rendered.object.apiVersion) === 'helm.toolkit.fluxcd.io' && rendered.object.kind === 'HelmRelease';
    const targetNamespace = isRelease ? (field<string>(rendered.object.spec, 'targetNamespace') ?? namespace) : namespace;
    const images = isRelease ? helmValueImages(rendered) : podImages(rendered);
    if (images.length === 0) continue;
    const covering = applying(targetNamespace);
    if (covering.length === 0) continue;
    const names = covering.map((p) => p.name).join(', ');
    for (const { path, image } of images) {
      const normalized = normalizeImage(image);
      const covered = covering.some((p) => inRegistries(normalized, p.registries));
      if (!covered && !isRelease) {
        const registries = [...new Set(covering.flatMap((p) => p.registries))].join(', ') || 'none';
        findings.push(
          findingFor(rendered, {
            severity: 'error',
            code: 'supply-chain/image-outside-signed-registries',
            path: joinFieldPath(path),
            message: `image '${image}' in cluster ${cluster} is not in a registry that constraint FlotillaImageSignatures ${names} sends to Ratify (${registries}), so its signature is never checked`,
            fix: `push the image to a covered registry and sign it in CI (e.g. mirror it into ${covering[0]!.registries[0] ?? 'the account ECR'}), then pin that reference with its digest`,
          }),
        );
      } else if (covered && !DIGEST.test(image)) {
        findings.push(
          findingFor(rendered, {
            severity: 'error',
            code: 'supply-chain/image-without-digest',
            path: joinFieldPath(path),
            message: `image '${image}' in cluster ${cluster} has no digest; constraint FlotillaImageSignatures ${names} has Ratify verify the digest a tag points to at admission, so what runs can differ from what was reviewed`,
            fix: `pin it as <repository>[:tag]@sha256:<64 hex> (release pins in apps/fleet/src/lib/releases.ts, or the chart's image digest value)`,
          }),
        );
      }
    }
  }
  return findings;
}

/** Codes of the supply-chain findings (this file and lambda-code-signing.ts). */
export const SUPPLY_CHAIN_CODE_PREFIX = 'supply-chain/';

/**
 * Objects that change what the supply-chain checks require of the whole cluster: an image
 * signature constraint or a Lambda `CodeSigningConfig`. A scoped synth that renders one judges every workload and
 * Function of the cluster, as a full render would.
 */
export function isSignatureEnforcement(object: { apiVersion: string; kind: string }): boolean {
  const group = apiGroupOf(object.apiVersion);
  return (group === CONSTRAINT_GROUP && object.kind === IMAGE_SIGNATURES_KIND) || (group === 'lambda.services.k8s.aws' && object.kind === 'CodeSigningConfig');
}
