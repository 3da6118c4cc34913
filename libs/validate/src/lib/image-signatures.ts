import { apiGroupOf, findingFor, joinFieldPath, type Finding, type RenderedObject } from '@flotilla/model';
import { field, listOf, type ClusterIndex } from './cluster-index';
import { POD_SPEC_PATHS } from './pod-specs';

const KYVERNO_POLICIES = 'policies.kyverno.io';
const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** What a `Deny` ImageValidatingPolicy of the cluster requires of the images it matches. */
export interface EnforcingPolicy {
  readonly name: string;
  readonly globs: readonly string[];
  readonly patterns: readonly RegExp[];
  /** Namespaces its `namespaceSelector` leaves out (`kubernetes.io/metadata.name NotIn [...]`). */
  readonly exempt: ReadonlySet<string>;
  /** A selector this check cannot evaluate (other keys or operators): then no namespace is assumed covered. */
  readonly unknownSelector: boolean;
}

/** Kyverno glob (`*` any characters, `/` included; `?` one) as an anchored RegExp. */
export function imageGlobPattern(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

/** The reference as a registry sees it: Docker Hub's implicit host and `library/` filled in. */
export function normalizeImage(image: string): string {
  const first = image.split('/')[0]!;
  const hasHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasHost) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

/** The cluster's ImageValidatingPolicies that `Deny`: a cluster with one enforces signatures (prod). */
export function enforcingPolicies(index: ClusterIndex): EnforcingPolicy[] {
  const out: EnforcingPolicy[] = [];
  for (const policy of index.ofKind(KYVERNO_POLICIES, 'ImageValidatingPolicy')) {
    const actions = listOf<unknown>(field(policy.object.spec, 'validationActions'));
    if (!actions.includes('Deny')) continue;
    const globs = listOf<{ glob?: unknown }>(field(policy.object.spec, 'matchImageReferences')).flatMap((r) => (typeof r?.glob === 'string' ? [r.glob] : []));
    const selector = field<{ matchLabels?: unknown; matchExpressions?: unknown }>(policy.object.spec, 'matchConstraints', 'namespaceSelector');
    const exempt = new Set<string>();
    let unknownSelector = selector?.matchLabels !== undefined;
    for (const expression of listOf<{ key?: unknown; operator?: unknown; values?: unknown }>(selector?.matchExpressions)) {
      if (expression?.key === 'kubernetes.io/metadata.name' && expression.operator === 'NotIn') {
        for (const value of listOf<unknown>(expression.values)) if (typeof value === 'string') exempt.add(value);
      } else unknownSelector = true;
    }
    out.push({ name: policy.object.metadata.name, globs, patterns: globs.map(imageGlobPattern), exempt, unknownSelector });
  }
  return out;
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
 * Before merge, what Kyverno will demand at admission: in a cluster with an `ImageValidatingPolicy`
 * whose `validationActions` include `Deny` (prod), every image of every pod template in a namespace
 * the policy covers must be a digest reference (`@sha256:`) from a registry the policy's
 * `matchImageReferences` cover, so that each one is signature-checked and pinned. Images in
 * HelmRelease values are checked where the values spell out the registry: those from a covered
 * registry must carry a digest. A cluster whose policies only `Audit` (dev) is not checked.
 */
export function checkSignedImages(index: ClusterIndex): Finding[] {
  const policies = enforcingPolicies(index);
  if (policies.length === 0) return [];
  const cluster = index.cluster ?? '(none)';
  const applying = (namespace: string) => policies.filter((p) => !p.exempt.has(namespace) || p.unknownSelector);
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
      const covered = covering.some((p) => p.patterns.some((pattern) => pattern.test(normalized)));
      if (!covered && !isRelease) {
        const globs = [...new Set(covering.flatMap((p) => p.globs))].join(', ') || 'none';
        findings.push(
          findingFor(rendered, {
            severity: 'error',
            code: 'supply-chain/image-outside-signed-registries',
            path: joinFieldPath(path),
            message: `image '${image}' in cluster ${cluster} is not in a registry that ImageValidatingPolicy ${names} verifies (${globs}), so its signature is never checked`,
            fix: `push the image to a covered registry and sign it in CI (e.g. mirror it into ${covering[0]!.globs[0]?.replace(/\/\*$/, '') ?? 'the account ECR'}), then pin that reference with its digest`,
          }),
        );
      } else if (covered && !DIGEST.test(image)) {
        findings.push(
          findingFor(rendered, {
            severity: 'error',
            code: 'supply-chain/image-without-digest',
            path: joinFieldPath(path),
            message: `image '${image}' in cluster ${cluster} has no digest; ImageValidatingPolicy ${names} verifies the signature of the digest a tag points to at admission, so what runs can differ from what was reviewed`,
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
 * Objects that change what the supply-chain checks require of the whole cluster: an image policy
 * or a Lambda `CodeSigningConfig`. A scoped synth that renders one judges every workload and
 * Function of the cluster, as a full render would.
 */
export function isSignatureEnforcement(object: { apiVersion: string; kind: string }): boolean {
  const group = apiGroupOf(object.apiVersion);
  return (group === KYVERNO_POLICIES && object.kind === 'ImageValidatingPolicy') || (group === 'lambda.services.k8s.aws' && object.kind === 'CodeSigningConfig');
}
