import type { ClusterRelease, MutableReferenceException } from '@flotilla/config';
import { findingFor, type Finding, type RenderedObject } from '@flotilla/model';
import { ClusterIndex, field, listOf } from './cluster-index';

/** One reference that can change under the same name, found in a rendered object. */
export interface MutableReference {
  readonly entry: RenderedObject;
  /** Field path of the mutable part, e.g. `spec.ref.tag`. */
  readonly path: string;
  /** The reference as an exception names it, e.g. `oci://public.ecr.aws/karpenter/karpenter:1.14.1`. */
  readonly reference: string;
  /** What kind of reference, for the message (`OCI source`, `Git source`, …). */
  readonly what: string;
  readonly fix: string;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const DIGEST = /@sha256:[0-9a-f]{64}$/;
const SOURCE_GROUP = 'source.toolkit.fluxcd.io';
const CROSSPLANE_PACKAGE_KINDS = ['Provider', 'Function', 'Configuration'];

/** The cluster's own delivery source (`flux bootstrap`): it follows the fleet by design and must be verified instead. */
const isDeliverySource = (entry: RenderedObject) => entry.object.metadata?.namespace === 'flux-system' && entry.object.metadata?.name === 'flux-system';

/**
 * Every mutable reference of one cluster's objects: OCI sources without a digest (unless an exact
 * version with `spec.verify`), Git sources without a commit, charts from HTTPS Helm repositories
 * (Flux can neither pin nor verify them), Crossplane packages without a digest, images set in
 * HelmRelease values without a digest, and EC2NodeClass AMIs selected by `@latest` or by name or
 * tags, and Ratify verifier plugins fetched from an OCI reference without a digest (Ratify downloads
 * them at run time and runs them in the verification path). The cluster's delivery source must carry
 * `spec.verify` instead.
 */
export function findMutableReferences(objects: readonly RenderedObject[]): MutableReference[] {
  const index = new ClusterIndex(undefined, objects);
  const found: MutableReference[] = [];
  for (const entry of objects) {
    const { object } = entry;
    const group = object.apiVersion.split('/')[0];
    const spec = (object as { spec?: Record<string, unknown> }).spec ?? {};
    if (group === SOURCE_GROUP && object.kind === 'OCIRepository') {
      const ref = (spec.ref ?? {}) as Record<string, string | undefined>;
      const verified = spec.verify !== undefined;
      if (isDeliverySource(entry)) {
        if (!verified) found.push({ entry, path: 'spec.verify', reference: String(spec.url), what: 'delivery source without verification', fix: "deliver with a signed OCI artifact (ClusterConfig.delivery, 'flotilla publish' signs it)" });
        continue;
      }
      if (ref.digest) continue;
      const version = ref.tag ?? ref.semver;
      if (verified && version !== undefined && EXACT_VERSION.test(version)) continue;
      found.push({
        entry,
        path: ref.tag !== undefined ? 'spec.ref.tag' : ref.semver !== undefined ? 'spec.ref.semver' : 'spec.ref',
        reference: `${String(spec.url)}:${version ?? 'latest'}`,
        what: 'OCI source',
        fix: verified
          ? "pin an exact version ('1.2.3') or a digest ('<version>@sha256:…' in the chart pins, releases.ts)"
          : "pin the digest ('<version>@sha256:…' in the chart pins, releases.ts) or, if the publisher signs it, add its identity to the catalog (CosignKeylessIdentity) so Flux verifies it",
      });
    } else if (group === SOURCE_GROUP && object.kind === 'GitRepository') {
      const ref = (spec.ref ?? {}) as Record<string, string | undefined>;
      if (isDeliverySource(entry)) {
        if (spec.verify === undefined) found.push({ entry, path: 'spec.verify', reference: String(spec.url), what: 'delivery source without verification', fix: "deliver with a signed OCI artifact (ClusterConfig.delivery) or verify the branch's commit signatures (spec.verify)" });
        continue;
      }
      if (ref.commit) continue;
      const moving = ref.tag ?? ref.branch ?? ref.semver ?? ref.name ?? 'master';
      found.push({ entry, path: `spec.ref.${Object.keys(ref)[0] ?? 'branch'}`, reference: `${String(spec.url)}@${moving}`, what: 'Git source', fix: `pin the commit the ref points at (spec.ref.commit, e.g. 'git rev-parse ${moving}^{commit}')` });
    } else if (group === 'helm.toolkit.fluxcd.io' && object.kind === 'HelmRelease') {
      const chartSpec = field<Record<string, unknown>>(spec, 'chart', 'spec');
      const sourceRef = chartSpec?.sourceRef as { kind?: string; name?: string; namespace?: string } | undefined;
      if (chartSpec && sourceRef?.kind === 'HelmRepository' && sourceRef.name) {
        const repository = index.get(SOURCE_GROUP, 'HelmRepository', sourceRef.namespace ?? object.metadata?.namespace, sourceRef.name);
        const repositorySpec = (repository?.object as { spec?: { url?: string; type?: string } } | undefined)?.spec;
        const oci = repositorySpec?.type === 'oci';
        if (!(oci && chartSpec.verify !== undefined)) {
          found.push({
            entry,
            path: 'spec.chart.spec.version',
            reference: `${repositorySpec?.url ?? `HelmRepository ${sourceRef.name}`}/${String(chartSpec.chart)}:${String(chartSpec.version)}`,
            what: oci ? 'OCI chart without verification' : 'chart from an HTTPS Helm repository (the version can be re-published; Flux can neither pin its digest nor verify it)',
            fix: oci ? "add the publisher's identity (spec.chart.spec.verify)" : 'install the chart from an OCI registry, pinned by digest or verified (OciChart in the catalog)',
          });
        }
      }
      found.push(...valueImages(entry, spec.values, 'spec.values'));
    } else if (group === 'pkg.crossplane.io' && CROSSPLANE_PACKAGE_KINDS.includes(object.kind)) {
      const pkg = spec.package;
      if (typeof pkg === 'string' && !DIGEST.test(pkg)) {
        found.push({ entry, path: 'spec.package', reference: pkg, what: 'Crossplane package', fix: "pin the package digest ('<version>@sha256:…' in the chart pins, releases.ts; 'crane digest <package>' prints it)" });
      }
    } else if (group === 'config.ratify.deislabs.io' && (object.kind === 'Verifier' || object.kind === 'NamespacedVerifier')) {
      const artifact = field<string>(spec, 'source', 'artifact');
      if (typeof artifact === 'string' && !DIGEST.test(artifact)) {
        found.push({ entry, path: 'spec.source.artifact', reference: artifact, what: 'Ratify verifier plugin', fix: "pin the plugin image by digest ('<image>@sha256:…', e.g. signing({ signerPlugin }); 'crane digest <image>' prints it)" });
      }
    } else if (group === 'karpenter.k8s.aws' && object.kind === 'EC2NodeClass') {
      listOf<Record<string, unknown>>(spec.amiSelectorTerms).forEach((term, i) => {
        if (typeof term.id === 'string') return;
        if (typeof term.alias === 'string' && !term.alias.endsWith('@latest')) return;
        const reference = typeof term.alias === 'string' ? term.alias : JSON.stringify(term);
        found.push({ entry, path: `spec.amiSelectorTerms[${i}]${typeof term.alias === 'string' ? '.alias' : ''}`, reference, what: 'AMI selection', fix: "pin the AMI release ('al2023@v<YYYYMMDD>', typed 'amiVersion' of the NodePools) or the AMI id" });
      });
    }
  }
  return found;
}

/** Images set in HelmRelease values (`image: 'repo:tag'` or `image: { repository?, tag }`) without a digest. */
function valueImages(entry: RenderedObject, values: unknown, path: string): MutableReference[] {
  if (values === null || typeof values !== 'object') return [];
  if (Array.isArray(values)) return values.flatMap((item, i) => valueImages(entry, item, `${path}[${i}]`));
  const found: MutableReference[] = [];
  for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
    const at = `${path}.${key}`;
    if (key === 'image' && typeof value === 'string' && value.includes(':') && !DIGEST.test(value)) {
      found.push({ entry, path: at, reference: value, what: 'image in chart values', fix: "pin the image by digest ('<image>@sha256:…')" });
    } else if (key === 'image' && value && typeof value === 'object' && typeof (value as Record<string, unknown>).tag === 'string' && !(value as Record<string, unknown>).digest) {
      const image = value as { repository?: string; tag: string };
      const name = `${entry.object.metadata?.namespace}/${entry.object.metadata?.name}`;
      found.push({ entry, path: `${at}.tag`, reference: `${image.repository ?? `HelmRelease ${name} ${at} (chart default repository)`}:${image.tag}`, what: 'image in chart values', fix: `set the image digest next to the tag (${at}.digest, where the chart supports it)` });
    } else {
      found.push(...valueImages(entry, value, at));
    }
  }
  return found;
}

/**
 * The immutability check of one cluster: on an immutable stage, every mutable reference is an
 * error naming the cluster, file, object, field and fix, unless the fleet's reviewed exceptions
 * list it; an exception that has expired, or that this cluster does not use, is an error too.
 * Mutable stages (dev) float freely: nothing is reported.
 *
 * @param release the cluster's stage (`ClusterConfig.release`); undefined: not checked
 * @param complete whether `objects` is the whole cluster (only then is an unused exception known)
 */
export function checkMutableReferences(cluster: string, objects: readonly RenderedObject[], release: Pick<ClusterRelease, 'stage' | 'immutable' | 'exceptions'> | undefined, options: { complete?: boolean; now?: Date } = {}): Finding[] {
  if (!release?.immutable) return [];
  const now = options.now ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const byReference = new Map<string, MutableReferenceException>(release.exceptions.map((exception) => [exception.reference, exception]));
  const used = new Set<string>();
  const findings: Finding[] = [];
  for (const ref of findMutableReferences(objects)) {
    const exception = byReference.get(ref.reference);
    const at = { file: ref.entry.file, object: ref.entry.object, cluster };
    if (exception) {
      used.add(exception.reference);
      if (exception.expires !== undefined && exception.expires < today) {
        findings.push(findingFor(at, { severity: 'error', code: 'supply-chain/exception-expired', path: ref.path, message: `cluster '${cluster}' (immutable stage '${release.stage}'): the exception for ${ref.what} '${ref.reference}' (reviewed by ${exception.reviewedBy}) expired on ${exception.expires}`, fix: `${ref.fix}; or review the exception again and move 'expires' (mutableReferenceExceptions, apps/fleet/src/lib/pin-exceptions.ts)` }));
      }
      continue;
    }
    findings.push(
      findingFor(at, {
        severity: 'error',
        code: 'supply-chain/mutable-reference',
        path: ref.path,
        message: `cluster '${cluster}' is on immutable stage '${release.stage}', but this ${ref.what} '${ref.reference}' can change under the same name`,
        fix: `${ref.fix}; or, if that is not possible yet, add { reference: '${ref.reference}', reason, reviewedBy, expires } to the reviewed exceptions (mutableReferenceExceptions)`,
      }),
    );
  }
  if (options.complete) {
    for (const exception of release.exceptions) {
      if (used.has(exception.reference)) continue;
      findings.push({
        severity: 'error',
        code: 'supply-chain/exception-unused',
        cluster,
        message: `cluster '${cluster}' (immutable stage '${release.stage}') has no mutable reference '${exception.reference}', yet the reviewed exceptions list it (reviewed by ${exception.reviewedBy})`,
        fix: 'remove the exception (mutableReferenceExceptions): the reference is pinned now, or it names a reference this cluster does not use',
      });
    }
  }
  return findings;
}
