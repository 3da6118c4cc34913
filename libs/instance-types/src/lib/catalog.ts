import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@flotilla/model';
import { fileURLToPath } from 'node:url';

/** Capacity types Karpenter can launch from the EC2 usage classes (`karpenter.sh/capacity-type`). */
export type CapacityType = 'on-demand' | 'spot';

/** One EC2 instance type as Karpenter sees it. */
export interface InstanceTypeInfo {
  /** EC2 name, e.g. `m7i.large` (also the `node.kubernetes.io/instance-type` label). */
  readonly name: string;
  /** Well-known labels Karpenter puts on a node of this type; absent keys mean the label does not exist. */
  readonly labels: Readonly<Record<string, string>>;
  /** Resources left after kube-reserved, system overhead and eviction thresholds (AL2023 defaults). */
  readonly allocatable: Readonly<Record<string, string>>;
  /**
   * Capacity types the type is offered as (from `SupportedUsageClasses`).
   *
   * @default - both `on-demand` and `spot` (the Karpenter reference data does not say)
   */
  readonly capacityTypes?: readonly CapacityType[];
}

/** Where a catalog came from. Free-form but deterministic (no timestamps). */
export type CatalogSource = Readonly<Record<string, string | readonly string[]>>;

/** The instance types a NodePool can choose from, sorted by name. */
export interface Catalog {
  readonly source: CatalogSource;
  readonly instanceTypes: readonly InstanceTypeInfo[];
}

/** Capacity types assumed for a type whose catalog entry does not list them. */
export const DEFAULT_CAPACITY_TYPES: readonly CapacityType[] = ['on-demand', 'spot'];

/** Path of the catalog shipped with this project. */
export const CATALOG_PATH = fileURLToPath(new URL('../../data/ec2-instance-types.json', import.meta.url));

/** The catalog's path; inside the CLI bundle `import.meta.url` is the bundle's, so the workspace root decides. */
function catalogPath(): string {
  if (existsSync(CATALOG_PATH)) return CATALOG_PATH;
  return join(findRepoRoot(process.cwd()), 'libs', 'instance-types', 'data', 'ec2-instance-types.json');
}

interface CatalogFileEntry {
  allocatable: Record<string, string>;
  capacityTypes?: CapacityType[];
  labels: Record<string, string>;
}

/** On-disk shape, the same as the Karpenter reference data: `{ source, instanceTypes: { <name>: entry } }`. */
interface CatalogFile {
  source: CatalogSource;
  instanceTypes: Record<string, CatalogFileEntry>;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort(byCodePoint)) out[key] = record[key];
  return out;
}

/** Parses catalog JSON text (the project's data file or the Karpenter reference data). */
export function parseCatalog(text: string, origin = 'catalog'): Catalog {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${origin} is not valid JSON: ${(error as Error).message}`);
  }
  const file = raw as Partial<CatalogFile>;
  if (!file || typeof file !== 'object' || !file.instanceTypes || typeof file.instanceTypes !== 'object') {
    throw new Error(`${origin} has no "instanceTypes" object; expected { "source": {...}, "instanceTypes": { "<name>": { "labels": {...}, "allocatable": {...} } } }`);
  }
  const instanceTypes = Object.keys(file.instanceTypes)
    .sort(byCodePoint)
    .map((name): InstanceTypeInfo => {
      const entry = file.instanceTypes![name];
      if (!entry?.labels || typeof entry.labels !== 'object') {
        throw new Error(`${origin}: instance type "${name}" has no "labels" object`);
      }
      return {
        name,
        labels: entry.labels,
        allocatable: entry.allocatable ?? {},
        ...(entry.capacityTypes ? { capacityTypes: entry.capacityTypes } : {}),
      };
    });
  return { source: file.source ?? {}, instanceTypes };
}

/**
 * Serializes a catalog deterministically: types sorted by name, keys sorted, one type per line so
 * that a refresh shows up in `git diff` as one line per changed instance type.
 */
export function serializeCatalog(catalog: Catalog): string {
  const source: Record<string, unknown> = {};
  for (const key of Object.keys(catalog.source).sort(byCodePoint)) source[key] = catalog.source[key];
  const types = [...catalog.instanceTypes].sort((a, b) => byCodePoint(a.name, b.name));
  const lines = types.map((type, index) => {
    const entry: CatalogFileEntry = {
      allocatable: sortedRecord(type.allocatable),
      ...(type.capacityTypes ? { capacityTypes: [...type.capacityTypes].sort(byCodePoint) } : {}),
      labels: sortedRecord(type.labels),
    };
    return `${JSON.stringify(type.name)}:${JSON.stringify(entry)}${index < types.length - 1 ? ',' : ''}`;
  });
  return `{"source":${JSON.stringify(source)},\n"instanceTypes":{\n${lines.join('\n')}\n}}\n`;
}

let cached: Catalog | undefined;

/** The catalog shipped with this project (`data/ec2-instance-types.json`), read once per process. */
export function loadCatalog(): Catalog {
  cached ??= parseCatalog(readFileSync(catalogPath(), 'utf8'), 'libs/instance-types/data/ec2-instance-types.json');
  return cached;
}
