import { dirname, posix } from 'node:path';
import { isMap, isScalar, isSeq, parseAllDocuments, LineCounter, type Document, type Node } from 'yaml';
import type { KubeObject } from '@flotilla/model';
import { FLUX_SPEC, type BuiltObject } from './build-path';
import type { RepoFile } from './repo-files';

/** A place in the repository: file and 1-based line. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** `spec.containers[0].image` → ['spec', 'containers', 0, 'image']. */
export function splitFieldPath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (let match = pattern.exec(path); match; match = pattern.exec(path)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(`"${match[3]}"`) as string);
  }
  return segments;
}

/** The deepest node along `segments` and how many segments it matched. */
function deepest(root: Node | null | undefined, segments: readonly (string | number)[]): { node: Node; depth: number; keyNode?: Node } | undefined {
  if (!root) return undefined;
  let node: Node = root;
  let keyNode: Node | undefined;
  let depth = 0;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair || !pair.value) {
        if (pair && isScalar(pair.key)) return { node: pair.key as Node, depth: depth + 1, keyNode: pair.key as Node };
        break;
      }
      keyNode = pair.key as Node;
      node = pair.value as Node;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      keyNode = undefined;
      node = node.items[segment] as Node;
    } else break;
    depth++;
  }
  return { node, depth, keyNode };
}

function lineOf(lineCounter: LineCounter, node: Node | undefined): number | undefined {
  return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
}

/** The document of `file` that defines `object` (same kind and name, allowing a name prefix/suffix). */
export function findDocument(file: RepoFile, object: Pick<KubeObject, 'kind' | 'metadata'>): RepoFile['docs'][number] | undefined {
  const candidates = file.docs.filter((d) => (d.value as KubeObject | null)?.kind === object.kind);
  const name = object.metadata?.name ?? '';
  return (
    candidates.find((d) => (d.value as KubeObject).metadata?.name === name && ((d.value as KubeObject).metadata?.namespace ?? object.metadata.namespace) === object.metadata.namespace) ??
    candidates.find((d) => (d.value as KubeObject).metadata?.name === name) ??
    candidates.find((d) => typeof (d.value as KubeObject).metadata?.name === 'string' && name.includes((d.value as KubeObject).metadata.name)) ??
    candidates[0]
  );
}

interface PatchSource {
  readonly file: string;
  /** Line of the patch text's first line in `file`. */
  readonly offset: number;
  readonly docs: readonly { doc: Document.Parsed; lineCounter: LineCounter }[];
  readonly target?: Record<string, unknown>;
}

function patchesOf(files: ReadonlyMap<string, RepoFile>, kustomizationFile: string, fluxSource?: SourceLocation & { patches?: unknown }): PatchSource[] {
  const parseText = (text: string) => {
    const lineCounter = new LineCounter();
    return parseAllDocuments(text, { lineCounter }).map((doc) => ({ doc, lineCounter }));
  };
  if (kustomizationFile === FLUX_SPEC) {
    if (!fluxSource) return [];
    const owner = files.get(fluxSource.file);
    const fluxDoc = owner?.docs.find((d) => d.line === fluxSource.line);
    return (Array.isArray(fluxSource.patches) ? fluxSource.patches : []).flatMap((patch: { patch?: string; target?: Record<string, unknown> }, i: number) => {
      if (typeof patch?.patch !== 'string') return [];
      const node = fluxDoc ? deepest(fluxDoc.doc.contents as Node, ['spec', 'patches', i, 'patch']) : undefined;
      const line = (node && owner ? lineOf(owner.lineCounter, node.node) : undefined) ?? fluxSource.line;
      return [{ file: fluxSource.file, offset: line + 1, docs: parseText(patch.patch), target: patch.target }];
    });
  }
  const kustomization = files.get(kustomizationFile);
  if (!kustomization) return [];
  const out: PatchSource[] = [];
  for (const { doc, value } of kustomization.docs) {
    const k = (value ?? {}) as Record<string, unknown>;
    const entries = [...(Array.isArray(k.patches) ? k.patches : []), ...(Array.isArray(k.patchesJson6902) ? k.patchesJson6902 : [])];
    entries.forEach((entry: { path?: string; patch?: string; target?: Record<string, unknown> }) => {
      if (typeof entry?.path === 'string') {
        const file = files.get(posix.normalize(posix.join(dirname(kustomizationFile), entry.path)));
        if (file) out.push({ file: file.path, offset: 1, docs: file.docs.map((d) => ({ doc: d.doc, lineCounter: file.lineCounter })), target: entry.target });
      } else if (typeof entry?.patch === 'string') {
        const index = (Array.isArray(k.patches) ? k.patches : []).indexOf(entry);
        const node = index >= 0 ? deepest(doc.contents as Node, ['patches', index, 'patch']) : undefined;
        out.push({ file: kustomizationFile, offset: (lineOf(kustomization.lineCounter, node?.node) ?? 1) + 1, docs: parseText(entry.patch), target: entry.target });
      }
    });
    for (const entry of Array.isArray(k.patchesStrategicMerge) ? k.patchesStrategicMerge : []) {
      const file = typeof entry === 'string' && !entry.includes('\n') ? files.get(posix.normalize(posix.join(dirname(kustomizationFile), entry))) : undefined;
      if (file) out.push({ file: file.path, offset: 1, docs: file.docs.map((d) => ({ doc: d.doc, lineCounter: file.lineCounter })) });
    }
  }
  return out;
}

/** Where a patch sets the field: a strategic-merge patch that holds it, or a JSON6902 op on it or a parent. */
function blamePatch(patch: PatchSource, object: KubeObject, segments: readonly (string | number)[]): number | undefined {
  for (const { doc, lineCounter } of patch.docs) {
    const value = doc.toJS() as unknown;
    if (Array.isArray(value)) {
      // JSON6902: the op whose path is the field or one of its parents.
      const ops = value as { path?: string }[];
      let best: { line: number; length: number } | undefined;
      ops.forEach((op, i) => {
        if (typeof op?.path !== 'string') return;
        const opSegments = op.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
        const matches = opSegments.every((s, j) => j < segments.length && (s === String(segments[j]) || (s === '-' && j === opSegments.length - 1)));
        if (!matches || (best && best.length >= opSegments.length)) return;
        const line = lineOf(lineCounter, (doc.contents as { items?: Node[] } | null)?.items?.[i]);
        if (line !== undefined) best = { line, length: opSegments.length };
      });
      if (best) return patch.offset + best.line - 1;
      continue;
    }
    const smp = value as KubeObject | null;
    if (!smp || typeof smp !== 'object') continue;
    if (!patch.target && (smp.kind !== object.kind || smp.metadata?.name === undefined)) continue;
    if (smp.kind && smp.kind !== object.kind) continue;
    const found = deepest(doc.contents as Node, segments);
    // The patch sets the field when it reaches it, or a scalar/list on its way (replacing the parent).
    if (!found || found.depth === 0) continue;
    if (found.depth === segments.length || !isMap(found.node)) {
      const line = lineOf(lineCounter, found.keyNode ?? found.node);
      if (line !== undefined) return patch.offset + line - 1;
    }
  }
  return undefined;
}

/**
 * Where a built object's field comes from: the patch that sets it (the last kustomization's patches
 * first), else the source document's field or its nearest parent, else the document's first line.
 */
export function locateField(
  files: ReadonlyMap<string, RepoFile>,
  built: BuiltObject,
  fieldPath: string | undefined,
  flux?: SourceLocation & { patches?: unknown },
): SourceLocation | undefined {
  const segments = fieldPath ? splitFieldPath(fieldPath) : [];
  if (segments.length > 0) {
    for (const kustomizationFile of [...built.patchedIn].reverse()) {
      for (const patch of patchesOf(files, kustomizationFile, flux).reverse()) {
        const line = blamePatch(patch, built.object, segments);
        if (line !== undefined) return { file: patch.file, line };
      }
    }
  }
  const source = built.origin ? files.get(built.origin) : undefined;
  if (!source) {
    const generator = built.generatedBy ? files.get(built.generatedBy) : undefined;
    return generator ? { file: generator.path, line: generator.docs[0]?.line ?? 1 } : undefined;
  }
  const doc = findDocument(source, built.object);
  if (!doc) return { file: source.path, line: 1 };
  const found = segments.length > 0 ? deepest(doc.doc.contents as Node, segments) : undefined;
  const line = found && found.depth > 0 ? lineOf(source.lineCounter, found.keyNode ?? found.node) : undefined;
  return { file: source.path, line: line ?? doc.line };
}

/** Line of the first occurrence of `text` within a document of `file`, else the document's line. */
export function locateText(file: RepoFile, object: Pick<KubeObject, 'kind' | 'metadata'>, text: string): SourceLocation {
  const doc = findDocument(file, object);
  const start = doc?.doc.range[0] ?? 0;
  const end = doc?.doc.range[2] ?? file.content.length;
  const at = file.content.slice(start, end).indexOf(text);
  return { file: file.path, line: at >= 0 ? file.lineCounter.linePos(start + at).line : (doc?.line ?? 1) };
}
