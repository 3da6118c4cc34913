/**
 * Downloads new upstream versions of vendored sources and writes their compact copies and
 * `sources.json` / `SOURCES.md`. Everything is downloaded and compacted first; files are written
 * only when every download succeeded, so a failed refresh leaves the folder as it was.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import { compactCrd, compactDefinitions, compactValuesDefaults, compactValuesSchema } from './compact';
import { parseInstanceTypesMarkdown, serializeReference } from './instance-types';
import { renderSourcesMarkdown } from './sources-md';
import { digest, fileUrl, readSources, withVersion, writeSources, type UpstreamFile, type UpstreamSource } from './sources';

export const GITHUB_RAW = 'https://raw.githubusercontent.com';
export const GITHUB_API = 'https://api.github.com';

export interface RefreshOptions {
  /** `libs/upstream` of the workspace to refresh. */
  readonly upstreamDir: string;
  /** Source ids, or families: `flux` selects every `flux-*` source unless a source is named `flux`. @default - every source */
  readonly families?: readonly string[];
  /** New version; only with a single selected source. @default - the recorded version */
  readonly version?: string;
  /**
   * Replaces `https://raw.githubusercontent.com` and `https://api.github.com` (e.g. a mirror, or a
   * local server in tests): raw files at `<base>/<owner>/<repo>/<ref>/<path>`, commits at
   * `<base>/repos/<owner>/<repo>/commits/<ref>`. @default - GitHub
   */
  readonly baseUrl?: string;
  /** @default console.log */
  readonly log?: (line: string) => void;
}

export interface RefreshedSource {
  readonly before: UpstreamSource;
  readonly after: UpstreamSource;
}

/** The sources a `--family` list selects; an unknown name is an error listing the known ones. */
export function selectSources(sources: readonly UpstreamSource[], families: readonly string[] | undefined): UpstreamSource[] {
  if (!families || families.length === 0) return [...sources];
  const selected = new Set<UpstreamSource>();
  for (const family of families) {
    const exact = sources.filter((s) => s.id === family);
    const matches = exact.length > 0 ? exact : sources.filter((s) => s.id.startsWith(`${family}-`));
    if (matches.length === 0) {
      throw new Error(`--family ${family}: no such source; known: ${sources.map((s) => s.id).join(', ')}`);
    }
    for (const match of matches) selected.add(match);
  }
  return [...selected];
}

async function get(url: string, accept?: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { headers: accept ? { accept } : {} });
  } catch (error) {
    throw new Error(`GET ${url} failed: ${(error as Error).cause ?? (error as Error).message}`);
  }
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${response.statusText}`);
  return response.text();
}

function rebase(url: string, baseUrl: string | undefined): string {
  if (!baseUrl) return url;
  const base = baseUrl.replace(/\/+$/, '');
  return url.startsWith(GITHUB_RAW) ? base + url.slice(GITHUB_RAW.length) : url.startsWith(GITHUB_API) ? base + url.slice(GITHUB_API.length) : url;
}

function compact(source: UpstreamSource, text: string, file: UpstreamFile, commit: string, version: string): string {
  switch (source.kind) {
    case 'crds':
      return compactCrd(text, file.url);
    case 'kubernetes':
      return compactDefinitions(text, file.url);
    case 'ec2-instance-types': {
      const source_ = { commit, license: source.license, path: file.path, repository: source.repository, tag: version };
      const note = 'Karpenter well-known labels and allocatable resources per EC2 instance type (AL2023, no block device mappings), as published in the Karpenter reference docs';
      return serializeReference({ source: { ...source_, note }, instanceTypes: parseInstanceTypesMarkdown(text, file.url) });
    }
    case 'helm-chart':
      if (file.path.endsWith('values.schema.json')) return compactValuesSchema(text, file.url);
      if (/values\.ya?ml$/.test(file.path)) return compactValuesDefaults(text, file.url);
      throw new Error(`${source.id}: ${file.path} is neither values.schema.json nor values.yaml; a chart source vendors only those two`);
    case 'iam-policy':
      return compactIamPolicy(text, file.url);
  }
}

/** An IAM policy document (e.g. a controller's recommended policy) re-serialized with 2-space indents; refuses anything else. */
export function compactIamPolicy(text: string, file: string): string {
  let document: { Version?: unknown; Statement?: unknown };
  try {
    document = JSON.parse(text) as typeof document;
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
  if (document.Version !== '2012-10-17' || !Array.isArray(document.Statement) || document.Statement.length === 0) {
    throw new Error(`${file}: expected an IAM policy document with Version "2012-10-17" and a non-empty Statement list`);
  }
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * A chart source's files must come from the chart release they claim: `Chart.yaml` next to them,
 * at the same ref, must carry the chart's name and the version being vendored.
 */
async function checkChartRelease(source: UpstreamSource, version: string, urlRef: string, baseUrl: string | undefined): Promise<void> {
  if (!source.chart) throw new Error(`${source.id}: a helm-chart source needs "chart": { "name", "version" } in sources.json`);
  const folder = posix.dirname(withVersion(source.files[0]!.path, version));
  const url = fileUrl(source, urlRef, `${folder}/Chart.yaml`);
  const chart = parse(await get(rebase(url, baseUrl))) as { name?: unknown; version?: unknown } | null;
  // Some charts get their version only when packaged (cert-manager's release build writes it into Chart.yaml);
  // then the release tag is the version, and Chart.yaml at that tag must carry the name and the placeholder.
  const versionOk = String(chart?.version) === (source.chart.versionPlaceholder ?? version);
  if (chart?.name !== source.chart.name || !versionOk) {
    throw new Error(
      `${url} is chart ${String(chart?.name)} ${String(chart?.version)}, not ${source.chart.name} ${version}; ` +
        `check the tag template "${source.refTemplate}" of ${source.id} in sources.json (the chart's release tag, e.g. "v{version}" or "<chart>-{version}")`,
    );
  }
}

/** Downloads and compacts one source at `version`; writes nothing. */
export async function fetchSource(
  source: UpstreamSource,
  version: string,
  baseUrl?: string,
): Promise<{ after: UpstreamSource; contents: Map<string, string> }> {
  const ref = withVersion(source.refTemplate, version);
  const commitUrl = `${GITHUB_API}/repos/${source.repository}/commits/${encodeURIComponent(ref)}`;
  const commit = (await get(rebase(commitUrl, baseUrl), 'application/vnd.github.sha')).trim();
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error(`GET ${rebase(commitUrl, baseUrl)}: expected a commit sha, got '${commit.slice(0, 80)}'`);
  // A branch moves: pin the URLs to the commit it pointed at. A release tag is kept as is.
  const urlRef = source.refTemplate.includes('{version}') ? ref : commit;
  if (source.kind === 'helm-chart') await checkChartRelease(source, version, urlRef, baseUrl);
  const contents = new Map<string, string>();
  const files: UpstreamFile[] = [];
  for (const file of source.files) {
    const url = fileUrl(source, urlRef, withVersion(file.path, version));
    const text = await get(rebase(url, baseUrl));
    const compacted = compact(source, text, { ...file, url }, commit, version);
    contents.set(file.file, compacted);
    files.push({ path: file.path, file: file.file, url, upstream: digest(text), compact: digest(compacted) });
  }
  const chart = source.chart ? { chart: { ...source.chart, version } } : {};
  return { after: { ...source, ...chart, version, ref: urlRef, commit, files }, contents };
}

/** Refreshes the selected sources in place; returns each source before and after. */
export async function refreshSources(options: RefreshOptions): Promise<RefreshedSource[]> {
  const log = options.log ?? console.log;
  const sources = readSources(options.upstreamDir);
  const selected = selectSources(sources, options.families);
  if (options.version && selected.length !== 1) {
    throw new Error(`--version applies to one source; --family selects ${selected.length} (${selected.map((s) => s.id).join(', ')}); name one of them`);
  }
  const fetched: { before: UpstreamSource; after: UpstreamSource; contents: Map<string, string> }[] = [];
  for (const source of selected) {
    const version = options.version ?? source.version;
    log(`fetching ${source.id} ${version} (${source.files.length} file${source.files.length === 1 ? '' : 's'} from ${source.repository})`);
    fetched.push({ before: source, ...(await fetchSource(source, version, options.baseUrl)) });
  }
  for (const { before, after, contents } of fetched) {
    const oldDir = join(options.upstreamDir, withVersion(before.dir, before.version));
    for (const file of before.files) rmSync(join(oldDir, file.file), { force: true });
    // A versioned folder (charts/<chart>/<version>) goes with its version when nothing else is in it.
    if (before.dir.includes('{version}') && before.version !== after.version && existsSync(oldDir) && readdirSync(oldDir).length === 0) rmSync(oldDir, { recursive: true });
    const dir = join(options.upstreamDir, withVersion(after.dir, after.version));
    mkdirSync(dir, { recursive: true });
    for (const [file, content] of contents) writeFileSync(join(dir, file), content);
  }
  const byId = new Map(fetched.map((f) => [f.before.id, f.after]));
  const updated = sources.map((s) => byId.get(s.id) ?? s);
  writeSources(options.upstreamDir, updated, renderSourcesMarkdown(options.upstreamDir, updated));
  return fetched.map(({ before, after }) => ({ before, after }));
}
