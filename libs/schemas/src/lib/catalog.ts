import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaNode } from './crd-source';
import { findRepoRoot } from './crd-source';

/** A Kubernetes minor version with bundled schemas (see `kubernetesVersions` and libs/upstream). */
export type KubernetesVersion = '1.34' | '1.35' | '1.36';
export type Scope = 'Namespaced' | 'Cluster';

/** The schema and facts of one (group, version, kind). */
export interface KindSchema {
  readonly apiVersion: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly scope: Scope;
  /** `kubernetes` for built-ins, otherwise the CRD family (`karpenter`, `flux`, …). */
  readonly family: string;
  readonly deprecated: boolean;
  /** Root schema. Built-ins reference `#/definitions/…` of {@link SchemaCatalog.definitions}. */
  readonly schema: SchemaNode;
}

interface CrdEntry {
  deprecated: boolean;
  plural: string;
  schema: SchemaNode;
  scope: Scope;
  storage: boolean;
}
interface CrdBundle {
  kinds: Record<string, CrdEntry>;
  unserved?: Record<string, string>;
}
interface KubernetesBundle {
  kinds: Record<string, { ref: string; scope: Scope }>;
  definitions: Record<string, SchemaNode>;
}
interface IndexBundle {
  groups: Record<string, string>;
  kubernetes: string[];
}

/**
 * Where the generated bundles are: `FLOTILLA_SCHEMAS_DIR`, next to this module (source checkout),
 * or `libs/schemas/src/generated` under the workspace root (bundled CLIs run from the workspace).
 */
let defaultDir: { env: string | undefined; dir: string } | undefined;

export function defaultSchemaDir(): string {
  // Looked up once per process (it touches the file system); FLOTILLA_SCHEMAS_DIR changes are honoured.
  if (defaultDir && defaultDir.env === process.env.FLOTILLA_SCHEMAS_DIR) return defaultDir.dir;
  const candidates: string[] = [];
  if (process.env.FLOTILLA_SCHEMAS_DIR) candidates.push(process.env.FLOTILLA_SCHEMAS_DIR);
  if (typeof __dirname !== 'undefined') candidates.push(join(__dirname, '..', 'generated'));
  try {
    candidates.push(join(findRepoRoot(process.cwd()), 'libs', 'schemas', 'src', 'generated'));
  } catch {
    // not inside a workspace
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'index.json')));
  if (!found) throw new Error(`generated schemas not found (looked in ${candidates.join(', ')}); run \`nx run schemas:generate\``);
  defaultDir = { env: process.env.FLOTILLA_SCHEMAS_DIR, dir: found };
  return found;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * Read-only access to the generated compact schemas. Bundles are parsed lazily, one family at a
 * time, and kept; use {@link SchemaCatalog.load} to share one instance per folder.
 */
export class SchemaCatalog {
  private static readonly instances = new Map<string, SchemaCatalog>();

  static load(dir: string = defaultSchemaDir()): SchemaCatalog {
    let catalog = SchemaCatalog.instances.get(dir);
    if (!catalog) {
      catalog = new SchemaCatalog(dir);
      SchemaCatalog.instances.set(dir, catalog);
    }
    return catalog;
  }

  private readonly index: IndexBundle;
  private readonly crdBundles = new Map<string, CrdBundle>();
  private readonly kubernetesBundles = new Map<string, KubernetesBundle>();
  private readonly kindCache = new Map<string, KindSchema | null>();

  private constructor(private readonly dir: string) {
    this.index = this.read<IndexBundle>('index.json');
  }

  /** Kubernetes versions with built-in schemas. */
  get kubernetesVersions(): readonly string[] {
    return this.index.kubernetes;
  }

  /** API groups served by the bundled CRDs. */
  get crdGroups(): readonly string[] {
    return Object.keys(this.index.groups);
  }

  /** The family of a CRD group, or undefined for built-in and unknown groups. */
  familyOf(group: string): string | undefined {
    return this.index.groups[group];
  }

  /** The schema of a served kind; undefined when the apiVersion/kind is not known. */
  find(apiVersion: string, kind: string, kubernetesVersion: KubernetesVersion = '1.35'): KindSchema | undefined {
    const cacheKey = `${kubernetesVersion}|${apiVersion}/${kind}`;
    const cached = this.kindCache.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.lookup(apiVersion, kind, kubernetesVersion);
    this.kindCache.set(cacheKey, found ?? null);
    return found;
  }

  private lookup(apiVersion: string, kind: string, kubernetesVersion: KubernetesVersion): KindSchema | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    const family = this.index.groups[group];
    if (family) {
      const entry = this.crdBundle(family).kinds[`${apiVersion}/${kind}`];
      if (!entry) return undefined;
      return { apiVersion, group, version, kind, scope: entry.scope, family, deprecated: entry.deprecated, schema: entry.schema };
    }
    const bundle = this.kubernetesBundle(kubernetesVersion);
    const entry = bundle.kinds[`${apiVersion}/${kind}`];
    if (!entry) return undefined;
    return {
      apiVersion,
      group,
      version,
      kind,
      scope: entry.scope,
      family: 'kubernetes',
      deprecated: false,
      schema: bundle.definitions[entry.ref]!,
    };
  }

  /** For an apiVersion the CRD declares but no longer serves, the apiVersion to use instead. */
  servedReplacement(apiVersion: string, kind: string): string | undefined {
    const family = this.index.groups[splitApiVersion(apiVersion).group];
    return family ? this.crdBundle(family).unserved?.[`${apiVersion}/${kind}`] : undefined;
  }

  /** Every served apiVersion of a kind in a group (for "did you mean" hints). */
  servedVersions(group: string, kind: string, kubernetesVersion: KubernetesVersion = '1.35'): string[] {
    const family = this.index.groups[group];
    const keys = family ? Object.keys(this.crdBundle(family).kinds) : Object.keys(this.kubernetesBundle(kubernetesVersion).kinds);
    const prefix = group ? `${group}/` : '';
    return keys
      .filter((key) => key.endsWith(`/${kind}`) && key.startsWith(prefix) && (group !== '' || key.split('/').length === 2))
      .map((key) => key.slice(0, key.length - kind.length - 1));
  }

  /** Every kind known in a group (built-in or CRD), e.g. to suggest the closest kind name. */
  kindsOf(group: string, kubernetesVersion: KubernetesVersion = '1.35'): string[] {
    const family = this.index.groups[group];
    const keys = family ? Object.keys(this.crdBundle(family).kinds) : Object.keys(this.kubernetesBundle(kubernetesVersion).kinds);
    return [...new Set(keys.filter((key) => (group ? key.startsWith(`${group}/`) : key.split('/').length === 2)).map((key) => key.split('/').pop()!))];
  }

  /** Every kind key (`apiVersion/Kind`) of the bundled CRDs and built-ins. */
  allKinds(kubernetesVersion: KubernetesVersion = '1.35'): string[] {
    const keys = Object.keys(this.kubernetesBundle(kubernetesVersion).kinds);
    for (const family of new Set(Object.values(this.index.groups))) keys.push(...Object.keys(this.crdBundle(family).kinds));
    return keys;
  }

  /** The shared definitions built-in schemas (and CRD metadata) refer to. */
  definitions(kubernetesVersion: KubernetesVersion = '1.35'): Readonly<Record<string, SchemaNode>> {
    return this.kubernetesBundle(kubernetesVersion).definitions;
  }

  private crdBundle(family: string): CrdBundle {
    let bundle = this.crdBundles.get(family);
    if (!bundle) {
      bundle = this.read<CrdBundle>(`${family}.json`);
      this.crdBundles.set(family, bundle);
    }
    return bundle;
  }

  private kubernetesBundle(version: string): KubernetesBundle {
    let bundle = this.kubernetesBundles.get(version);
    if (!bundle) {
      if (!this.index.kubernetes.includes(version)) {
        throw new Error(`kubernetes version ${version} has no schemas; use one of ${this.index.kubernetes.join(', ')}`);
      }
      bundle = this.read<KubernetesBundle>(`kubernetes-${version}.json`);
      this.kubernetesBundles.set(version, bundle);
    }
    return bundle;
  }

  private read<T>(file: string): T {
    return JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as T;
  }
}
