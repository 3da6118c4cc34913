import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';

/** What a YAML file in a hand-written Flux repository is. */
export type FileRole =
  /** Kubernetes objects: applied on their own or through a kustomization's `resources`. */
  | 'manifest'
  /** kustomization.yaml / Component: tells kustomize what to build, never applied. */
  | 'kustomization'
  /** kustomizeconfig.yaml, `configurations:`, transformer/generator configs. */
  | 'kustomize-config'
  /** Strategic-merge or JSON6902 patch named by a kustomization's `patches`; validated inside the build. */
  | 'patch'
  /** Helm values or generator input (`configMapGenerator`/`secretGenerator` files, values.yaml). */
  | 'values'
  /** SOPS-encrypted (top-level `sops:`); only the controller can decrypt it. */
  | 'sops'
  /** Only comments or empty documents. */
  | 'empty'
  /** YAML that is neither of the above (no apiVersion and kind). */
  | 'not-kubernetes';

export interface RepoDocument {
  readonly index: number;
  readonly doc: Document.Parsed;
  /** 1-based line of the document's content. */
  readonly line: number;
  readonly value: unknown;
}

export interface RepoFile {
  /** Relative to the repository root, `/`-separated. */
  readonly path: string;
  readonly content: string;
  readonly lineCounter: LineCounter;
  readonly docs: readonly RepoDocument[];
  role: FileRole;
  /** Why it has its role, for notes (e.g. `patch of apps/production/kustomization.yaml`). */
  reason?: string;
}

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export function isKustomizationFileName(name: string): boolean {
  return KUSTOMIZATION_NAMES.has(name);
}

/** The kustomization file of a folder, if it has one (the names kustomize recognises). */
export function kustomizationFileIn(files: ReadonlyMap<string, RepoFile>, dir: string): RepoFile | undefined {
  for (const name of KUSTOMIZATION_NAMES) {
    const file = files.get(dir ? `${dir}/${name}` : name);
    if (file) return file;
  }
  return undefined;
}

/** Every YAML file under `root` (dot folders, dot files and node_modules left out), parsed and classified. */
export function readRepoFiles(root: string): Map<string, RepoFile> {
  const files = new Map<string, RepoFile>();
  const visit = (relative: string) => {
    const absolute = join(root, relative);
    for (const entry of readdirSync(absolute).sort()) {
      if (entry.startsWith('.') || entry === 'node_modules') continue;
      const child = relative ? `${relative}/${entry}` : entry;
      const stat = statSync(join(root, child));
      if (stat.isDirectory()) visit(child);
      else if (/\.ya?ml$/.test(entry) || entry === 'Kustomization') files.set(child, parseRepoFile(child, readFileSync(join(root, child), 'utf8')));
    }
  };
  visit('');
  classify(files);
  return files;
}

export function parseRepoFile(path: string, content: string): RepoFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(content, { lineCounter, uniqueKeys: true }).map((doc, index): RepoDocument => {
    let value: unknown;
    try {
      value = doc.errors.length === 0 ? doc.toJS({ maxAliasCount: 100 }) : undefined;
    } catch {
      value = undefined;
    }
    return { index, doc, line: lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line, value };
  });
  return { path, content, lineCounter, docs, role: 'manifest' };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isKustomizeKind(value: unknown): boolean {
  return isRecord(value) && typeof value.apiVersion === 'string' && value.apiVersion.startsWith('kustomize.config.k8s.io/');
}

function hasIdentity(value: unknown): boolean {
  return isRecord(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';
}

/** Strings of a kustomization list field, e.g. `configurations`. */
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

/** Files a kustomization names as patches, kustomize configs and generator inputs. */
export function kustomizationReferences(kustomization: unknown): { patches: string[]; configs: string[]; inputs: string[] } {
  const k = isRecord(kustomization) ? kustomization : {};
  const patches: string[] = [];
  for (const entry of Array.isArray(k.patches) ? k.patches : []) if (isRecord(entry) && typeof entry.path === 'string') patches.push(entry.path);
  for (const entry of Array.isArray(k.patchesJson6902) ? k.patchesJson6902 : []) if (isRecord(entry) && typeof entry.path === 'string') patches.push(entry.path);
  // patchesStrategicMerge entries are file paths or inline YAML; only single-line strings are paths.
  patches.push(...strings(k.patchesStrategicMerge).filter((entry) => !entry.includes('\n')));
  const configs = [...strings(k.configurations), ...strings(k.transformers), ...strings(k.generators), ...strings(k.validators)];
  const inputs: string[] = [];
  for (const generator of [...(Array.isArray(k.configMapGenerator) ? k.configMapGenerator : []), ...(Array.isArray(k.secretGenerator) ? k.secretGenerator : [])]) {
    if (!isRecord(generator)) continue;
    for (const file of strings(generator.files)) inputs.push(file.includes('=') ? file.slice(file.indexOf('=') + 1) : file);
    inputs.push(...strings(generator.envs));
    if (typeof generator.env === 'string') inputs.push(generator.env);
  }
  return { patches, configs, inputs };
}

function mark(files: Map<string, RepoFile>, from: string, entries: readonly string[], role: FileRole, reason: string): void {
  for (const entry of entries) {
    const file = files.get(posix.normalize(posix.join(dirname(from), entry)));
    if (file && (file.role === 'manifest' || file.role === 'not-kubernetes' || file.role === 'values')) {
      file.role = role;
      file.reason = reason;
    }
  }
}

/**
 * Roles, from the strongest evidence down: kustomization files, then what kustomizations name
 * (patches, configs, generator inputs), then SOPS metadata, then names (kustomizeconfig.yaml,
 * values.yaml) and finally content.
 */
function classify(files: Map<string, RepoFile>): void {
  for (const file of files.values()) {
    const values = file.docs.map((doc) => doc.value).filter((value) => value !== null && value !== undefined);
    const name = basename(file.path);
    if (values.some((value) => isRecord(value) && 'sops' in value)) {
      file.role = 'sops';
      file.reason = 'SOPS-encrypted (top-level sops:), decrypted only by the controller';
    } else if (isKustomizationFileName(name) || (values.length > 0 && values.every(isKustomizeKind))) {
      file.role = 'kustomization';
      file.reason = 'kustomize build configuration';
    } else if (/^kustomizeconfig\.ya?ml$/.test(name)) {
      file.role = 'kustomize-config';
      file.reason = 'kustomize configuration (kustomizeconfig.yaml)';
    } else if (values.length === 0 && file.docs.every((doc) => doc.doc.errors.length === 0)) {
      file.role = 'empty';
    } else if (file.docs.some((doc) => doc.doc.errors.length > 0) || values.some(hasIdentity)) {
      file.role = 'manifest';
    } else if (/(^|[-_.])values([-_.].*)?\.ya?ml$/.test(name)) {
      file.role = 'values';
      file.reason = 'Helm values';
    } else {
      file.role = 'not-kubernetes';
    }
  }
  for (const file of [...files.values()].filter((f) => f.role === 'kustomization')) {
    for (const { value } of file.docs) {
      const refs = kustomizationReferences(value);
      mark(files, file.path, refs.patches, 'patch', `patch named by ${file.path}`);
      mark(files, file.path, refs.configs, 'kustomize-config', `kustomize configuration named by ${file.path}`);
      mark(files, file.path, refs.inputs, 'values', `generator input (Helm values or data) named by ${file.path}`);
    }
  }
}
