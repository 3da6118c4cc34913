import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { apiGroupOf, type KubeObject, type RenderedObject } from '@flotilla/model';
import { CLUSTERS_DIR, clusterOfFile } from '@flotilla/config';

/** The folder of the rendered tree inside a repository. */

export interface LoadOptions {
  /**
   * Parsed files by path and text, shared between loads: loading base and head with one cache parses
   * each unchanged file once, and its objects are the same references (which compare instantly).
   * @default - no cache
   */
  readonly cache?: Map<string, RenderedObject[]>;
}

/**
 * Reads every object of a rendered `clusters/` tree.
 *
 * `rootDir` is the repository (or worktree) root holding `clusters/`; a path to the `clusters/` folder
 * itself is accepted too. Files are reported relative to the root (`clusters/dev/apps/web/…yaml`), in
 * sorted order, with the cluster taken from `clusters/<cluster>/…`. kustomize's own
 * `kustomization.yaml` files (`kustomize.config.k8s.io`) and empty documents are skipped: they are
 * build instructions, not objects.
 */
export async function loadRenderedTree(rootDir: string, options: LoadOptions = {}): Promise<RenderedObject[]> {
  const clustersDir = (await isDirectory(path.join(rootDir, CLUSTERS_DIR)))
    ? path.join(rootDir, CLUSTERS_DIR)
    : path.resolve(rootDir);
  if (!(await isDirectory(clustersDir))) {
    throw new Error(`no rendered tree at ${rootDir}: expected a ${CLUSTERS_DIR}/ folder (run \`flotilla synth\` first)`);
  }
  const files = (await listYamlFiles(clustersDir)).sort();
  const parsed = await mapLimit(files, READ_CONCURRENCY, async (relative) => {
    const text = await readFile(path.join(clustersDir, relative), 'utf8');
    const file = `${CLUSTERS_DIR}/${relative}`;
    if (!options.cache) return parseRenderedFile(file, text);
    // Most files are the same in base and head: parse each text once and share the objects.
    const key = `${file}\0${text}`;
    let parsed = options.cache.get(key);
    if (!parsed) options.cache.set(key, (parsed = parseRenderedFile(file, text)));
    return parsed;
  });
  return parsed.flat();
}

/**
 * Parses an in-memory render (repo-relative path → text, e.g. a synth plan's files) into objects, in
 * sorted file order like {@link loadRenderedTree}. Files outside `clusters/` are ignored.
 */
export function parseRenderedFiles(files: ReadonlyMap<string, string>, options: LoadOptions = {}): RenderedObject[] {
  const objects: RenderedObject[] = [];
  for (const file of [...files.keys()].filter((name) => name.startsWith(`${CLUSTERS_DIR}/`) && /\.ya?ml$/.test(name)).sort()) {
    const text = files.get(file)!;
    if (!options.cache) {
      objects.push(...parseRenderedFile(file, text));
      continue;
    }
    const key = `${file}\0${text}`;
    let parsed = options.cache.get(key);
    if (!parsed) options.cache.set(key, (parsed = parseRenderedFile(file, text)));
    objects.push(...parsed);
  }
  return objects;
}

/**
 * Parses one rendered file (multi-document allowed) into objects.
 *
 * `file` is the path relative to the repository root; it gives the cluster.
 */
export function parseRenderedFile(file: string, text: string): RenderedObject[] {
  // kustomize's build files may even omit apiVersion and kind.
  if (KUSTOMIZE_FILE_NAMES.has(path.posix.basename(file))) return [];
  const cluster = clusterOfFile(file);
  // YAML 1.2 core schema, like Flux's kustomize (kyaml): an unquoted `on` stays a string.
  const documents = parseAllDocuments(text, { prettyErrors: true });
  const objects: RenderedObject[] = [];
  documents.forEach((document, index) => {
    if (document.errors.length > 0) {
      throw new Error(`${file}: document ${index} is not valid YAML: ${document.errors[0].message}`);
    }
    const value: unknown = document.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    if (!isKubeObject(value)) {
      throw new Error(
        `${file}: document ${index} is not a Kubernetes object: it needs apiVersion, kind and metadata.name`,
      );
    }
    if (isKustomizeConfig(value)) return;
    objects.push({ file, index, object: value, cluster });
  });
  return objects;
}

const KUSTOMIZE_FILE_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  if (typeof candidate.apiVersion !== 'string' || typeof candidate.kind !== 'string') return false;
  if (isKustomizeConfig(candidate)) return true;
  const metadata = candidate.metadata as Record<string, unknown> | undefined;
  return typeof metadata === 'object' && metadata !== null && typeof metadata.name === 'string';
}

function isKustomizeConfig(value: { apiVersion?: unknown }): boolean {
  return typeof value.apiVersion === 'string' && apiGroupOf(value.apiVersion) === 'kustomize.config.k8s.io';
}

/** Files read at once: enough to overlap I/O with parsing, few enough to stay far from the open-file limit. */
const READ_CONCURRENCY = 32;

/** `Promise.all(items.map(fn))` with at most `limit` calls in flight; results keep the input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

async function listYamlFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return listYamlFiles(dir, relative);
      return entry.isFile() && /\.ya?ml$/.test(entry.name) ? [relative] : [];
    }),
  );
  return nested.flat();
}
