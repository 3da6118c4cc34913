/**
 * `libs/upstream/sources.json`: where every vendored upstream file comes from (repository, version,
 * commit, license, URL) and the sha256 of the upstream file and of its compact copy. Written by
 * `nx run upstream:refresh`; `SOURCES.md` is rendered from it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How a source's files are turned into their compact copies. */
export type SourceKind = 'crds' | 'kubernetes' | 'ec2-instance-types' | 'helm-chart' | 'iam-policy';

export interface FileDigest {
  readonly sha256: string;
  readonly bytes: number;
}

export interface UpstreamFile {
  /** Path in the upstream repository; may contain `{version}`. */
  readonly path: string;
  /** File name of the compact copy inside the source's `dir`. */
  readonly file: string;
  /** The raw URL of the upstream file at `ref`. */
  readonly url: string;
  readonly upstream: FileDigest;
  readonly compact: FileDigest;
}

export interface UpstreamSource {
  /** What `--family` selects, e.g. `karpenter`, `ack-iam`, `flux-helm-controller`, `kubernetes-1.35`. */
  readonly id: string;
  readonly kind: SourceKind;
  /** Folder of the compact copies, relative to `libs/upstream/`; may contain `{version}`. */
  readonly dir: string;
  /** GitHub `owner/name`. */
  readonly repository: string;
  readonly version: string;
  /** The git ref a version is fetched at: `{version}` for release tags, or a branch (then `ref` is its commit). */
  readonly refTemplate: string;
  /** The ref the URLs use: the tag, or the commit of the branch at refresh time. */
  readonly ref: string;
  readonly commit: string;
  readonly license: string;
  /** Raw file URL with `{repository}`, `{ref}` and `{path}`. */
  readonly urlTemplate: string;
  readonly files: readonly UpstreamFile[];
  /**
   * For `helm-chart` sources: the chart (name in its `Chart.yaml`) and chart version the files
   * belong to; `version` is the chart version, `refTemplate` the tag the chart was released at.
   * The refresh checks `Chart.yaml` at that tag says the same. @default - not a chart
   */
  readonly chart?: ChartIdentity;
  /** Why this version and these files (kept across refreshes; edit by hand when it goes stale). */
  readonly notes?: string;
}

export interface ChartIdentity {
  readonly name: string;
  readonly version: string;
  /**
   * The placeholder version `Chart.yaml` carries at the release tag when the release build sets the
   * real one while packaging (cert-manager: `v0.0.0`, replaced by `make/manifests.mk`); the tag is
   * then the chart version. @default - Chart.yaml at the tag carries the chart version itself
   */
  readonly versionPlaceholder?: string;
}

export interface SourcesFile {
  readonly sources: readonly UpstreamSource[];
}

export const SOURCES_JSON = 'sources.json';
export const SOURCES_MD = 'SOURCES.md';

export function digest(content: string): FileDigest {
  return { sha256: createHash('sha256').update(content).digest('hex'), bytes: Buffer.byteLength(content) };
}

/** `{version}` in a template replaced by the version. */
export function withVersion(template: string, version: string): string {
  return template.replaceAll('{version}', version);
}

export function fileUrl(source: Pick<UpstreamSource, 'urlTemplate' | 'repository'>, ref: string, path: string): string {
  return source.urlTemplate.replace('{repository}', source.repository).replace('{ref}', ref).replace('{path}', path);
}

export function readSources(upstreamDir: string): UpstreamSource[] {
  const path = join(upstreamDir, SOURCES_JSON);
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as SourcesFile;
  if (!Array.isArray(parsed.sources)) throw new Error(`${path}: expected a "sources" list`);
  return [...parsed.sources];
}

/** Two-space JSON, sources sorted by id, so the file diffs line by line. */
export function serializeSources(sources: readonly UpstreamSource[]): string {
  const sorted = [...sources].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return `${JSON.stringify({ $comment: 'Written by `nx run upstream:refresh`; see SOURCES.md. Do not edit checksums by hand.', sources: sorted }, null, 2)}\n`;
}

export function writeSources(upstreamDir: string, sources: readonly UpstreamSource[], markdown: string): void {
  writeFileSync(join(upstreamDir, SOURCES_JSON), serializeSources(sources));
  writeFileSync(join(upstreamDir, SOURCES_MD), markdown);
}
