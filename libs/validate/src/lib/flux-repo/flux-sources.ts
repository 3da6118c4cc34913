import { posix } from 'node:path';
import { apiGroupOf, type KubeObject } from '@flotilla/model';

const SOURCE = 'source.toolkit.fluxcd.io';
const EXTENSIONS = 'source.extensions.fluxcd.io';

export const isFluxKustomization = (object: KubeObject) => object.kind === 'Kustomization' && apiGroupOf(object.apiVersion) === 'kustomize.toolkit.fluxcd.io';

/** Where a Flux Kustomization's `spec.path` lies: a folder of this repository, or a source outside it. */
export type PathResolution =
  | { readonly kind: 'repo'; readonly dir: string; readonly via?: string }
  | { readonly kind: 'external'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly reason: string }
  /** The source is this repository (through an artifact), but nothing there is at the path. */
  | { readonly kind: 'missing'; readonly reason: string; readonly fix: string };

interface Ref {
  kind?: string;
  name?: string;
  namespace?: string;
}

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** `./apps/x/` → `apps/x`; undefined when the path leaves the source's root. */
export function normalizeSourcePath(path: string): string | undefined {
  const normalized = posix.normalize(`./${path}`).replace(/^\.\/?/, '').replace(/\/+$/, '').replace(/^\/+/, '');
  if (normalized === '..' || normalized.startsWith('../')) return undefined;
  return normalized === '.' ? '' : normalized;
}

/**
 * The bootstrap GitRepository (`flux-system`, created by `flux bootstrap`) is this repository;
 * an ExternalArtifact made by an ArtifactGenerator from it maps back through its copy rules; every
 * other source (another Git repository or branch, OCI, Bucket) is outside this checkout.
 */
export function resolveKustomizationPath(kustomization: KubeObject, context: readonly KubeObject[]): PathResolution {
  const spec = record(kustomization.spec);
  const ref = record(spec.sourceRef) as Ref;
  const namespace = ref.namespace ?? kustomization.metadata.namespace ?? 'default';
  const kind = ref.kind ?? 'GitRepository';
  const path = normalizeSourcePath(typeof spec.path === 'string' ? spec.path : '');
  if (path === undefined) return { kind: 'invalid', reason: `spec.path "${String(spec.path)}" leaves the root of the source` };
  if (kind === 'GitRepository' && isThisRepository(ref.name, namespace, context)) return { kind: 'repo', dir: path };
  if (kind === 'ExternalArtifact') {
    const mapped = throughArtifactGenerator(ref.name ?? '', namespace, path, context);
    if (mapped) return mapped;
  }
  const source = context.find((o) => o.kind === kind && o.metadata.name === ref.name && (o.metadata.namespace ?? 'default') === namespace);
  const url = record(source?.spec).url;
  const reference = record(record(source?.spec).ref);
  const at = Object.entries(reference)
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(', ');
  return {
    kind: 'external',
    reason: `its source ${kind} ${namespace}/${ref.name ?? '?'}${typeof url === 'string' ? ` (${url}${at ? `, ${at}` : ''})` : ''} is not this checkout`,
  };
}

function isThisRepository(name: string | undefined, namespace: string, context: readonly KubeObject[]): boolean {
  if (name === 'flux-system' && namespace === 'flux-system') return true;
  const bootstrap = context.find((o) => o.kind === 'GitRepository' && o.metadata.name === 'flux-system' && apiGroupOf(o.apiVersion) === SOURCE);
  const own = context.find((o) => o.kind === 'GitRepository' && o.metadata.name === name && (o.metadata.namespace ?? 'default') === namespace);
  if (!bootstrap || !own) return false;
  // Same URL and ref as the bootstrap source: the same checkout under another name.
  return JSON.stringify([record(bootstrap.spec).url, record(bootstrap.spec).ref]) === JSON.stringify([record(own.spec).url, record(own.spec).ref]);
}

/** An artifact path → the repository folder its copy rule takes it from (`@src/apps/**` → `@artifact/x/`). */
function throughArtifactGenerator(name: string, namespace: string, path: string, context: readonly KubeObject[]): PathResolution | undefined {
  for (const generator of context) {
    if (generator.kind !== 'ArtifactGenerator' || apiGroupOf(generator.apiVersion) !== EXTENSIONS || (generator.metadata.namespace ?? 'default') !== namespace) continue;
    const spec = record(generator.spec);
    const artifact = (Array.isArray(spec.artifacts) ? spec.artifacts : []).map(record).find((a) => a.name === name);
    if (!artifact) continue;
    const local = new Set(
      (Array.isArray(spec.sources) ? spec.sources : [])
        .map(record)
        .filter((s) => (s.kind ?? 'GitRepository') === 'GitRepository' && isThisRepository(String(s.name), String(s.namespace ?? namespace), context))
        .map((s) => String(s.alias)),
    );
    let best: { dir: string; length: number } | undefined;
    const targets: string[] = [];
    for (const copy of (Array.isArray(artifact.copy) ? artifact.copy : []).map(record)) {
      const from = /^@([^/]+)\/?(.*)$/.exec(String(copy.from ?? ''));
      const to = /^@artifact\/?(.*)$/.exec(String(copy.to ?? ''));
      if (!from || !to || !local.has(from[1]!)) continue;
      // The folder part before the first glob: `apps/base/**` → `apps/base`.
      const fromDir = from[2]!.split('/').filter((part) => !/[*?[]/.test(part)).join('/');
      if (!/\*\*$/.test(from[2]!) && from[2] !== fromDir) continue;
      const toDir = normalizeSourcePath(to[1]!) ?? '';
      targets.push(`./${toDir}`);
      if (toDir && path !== toDir && !path.startsWith(`${toDir}/`)) continue;
      if (best && best.length > toDir.length) continue;
      best = { dir: posix.join(fromDir, path.slice(toDir.length)).replace(/^\/|\/$/g, ''), length: toDir.length };
    }
    if (best) return { kind: 'repo', dir: best.dir === '.' ? '' : best.dir, via: `ArtifactGenerator ${namespace}/${generator.metadata.name}` };
    if (targets.length > 0) {
      return {
        kind: 'missing',
        reason: `spec.path ./${path} is not in ExternalArtifact ${namespace}/${name}: ArtifactGenerator ${namespace}/${generator.metadata.name} copies this repository only to ${targets.sort().join(', ')}; kustomize-controller fails with "kustomization path not found"`,
        fix: `point spec.path at one of ${targets.join(', ')} (or a folder below), or add a copy rule for it`,
      };
    }
  }
  return undefined;
}
