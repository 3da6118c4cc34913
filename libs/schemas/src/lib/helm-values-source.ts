/**
 * The `helm-values.json` bundle: for every chart version vendored in `libs/upstream` (sources.json,
 * kind `helm-chart`), its values schema and its default values, keyed `<chart>@<version>`.
 * Validation merges a HelmRelease's values into the defaults and checks the result against the
 * schema, as `helm install` does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaNode } from './crd-source';

export const HELM_VALUES_BUNDLE = 'helm-values.json';

/** The part of a `sources.json` entry this bundle reads. */
interface ChartSourceRecord {
  readonly id: string;
  readonly kind: string;
  readonly dir: string;
  readonly version: string;
  readonly repository: string;
  readonly ref: string;
  readonly chart?: { readonly name: string; readonly version: string };
  readonly files: readonly { readonly file: string }[];
}

export interface HelmValuesEntry {
  readonly chart: string;
  readonly version: string;
  /** The `sources.json` id, i.e. what `nx run upstream:refresh -- --family <id>` refreshes. */
  readonly source: string;
  /** `owner/name@ref` the files were taken from. */
  readonly origin: string;
  readonly schema: SchemaNode;
  readonly defaults: Record<string, unknown>;
}

/** Every vendored chart's values schema and defaults, sorted by chart and version; none when `upstreamDir` has no sources.json. */
export function readChartValues(upstreamDir: string): HelmValuesEntry[] {
  const sourcesPath = join(upstreamDir, 'sources.json');
  if (!existsSync(sourcesPath)) return [];
  const { sources } = JSON.parse(readFileSync(sourcesPath, 'utf8')) as { sources: ChartSourceRecord[] };
  const entries: HelmValuesEntry[] = [];
  for (const source of sources.filter((s) => s.kind === 'helm-chart')) {
    if (!source.chart || source.chart.version !== source.version) {
      throw new Error(`${sourcesPath}: ${source.id} must record "chart": { "name", "version": "${source.version}" }; run nx run upstream:refresh -- --family ${source.id}`);
    }
    const dir = join(upstreamDir, source.dir.replaceAll('{version}', source.version));
    const read = (name: string) => {
      if (!source.files.some((f) => f.file === name)) throw new Error(`${sourcesPath}: ${source.id} lists no ${name}; a chart source vendors values.schema.json and values.defaults.json`);
      return JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
    };
    entries.push({
      chart: source.chart.name,
      version: source.version,
      source: source.id,
      origin: `${source.repository}@${source.ref}`,
      schema: read('values.schema.json') as SchemaNode,
      defaults: read('values.defaults.json'),
    });
  }
  return entries.sort((a, b) => (a.chart === b.chart ? (a.version < b.version ? -1 : 1) : a.chart < b.chart ? -1 : 1));
}

/** The bundle's charts map, `<chart>@<version>` → entry. */
export function helmValuesCharts(entries: readonly HelmValuesEntry[]): Record<string, HelmValuesEntry> {
  return Object.fromEntries(entries.map((entry) => [`${entry.chart}@${entry.version}`, entry]));
}
