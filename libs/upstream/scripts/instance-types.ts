/**
 * Karpenter's instance-type reference page (`website/content/en/docs/reference/instance-types.md`,
 * generated upstream by `hack/docs/instancetypes_gen`) as the JSON fact table the instance-types
 * library imports: per instance type, the well-known labels and the allocatable resources.
 */

export interface InstanceTypeFacts {
  readonly labels: Record<string, string>;
  readonly allocatable: Record<string, string>;
}

export interface InstanceTypeReference {
  readonly source: Record<string, string>;
  readonly instanceTypes: Record<string, InstanceTypeFacts>;
}

/** Parses the reference page; every instance type must have both tables. */
export function parseInstanceTypesMarkdown(markdown: string, file: string): Record<string, InstanceTypeFacts> {
  const types: Record<string, { labels: Record<string, string>; allocatable: Record<string, string> }> = {};
  let current: string | undefined;
  let table: 'labels' | 'allocatable' | undefined;
  markdown.split('\n').forEach((line, index) => {
    const heading = /^### `([^`]+)`\s*$/.exec(line);
    if (heading) {
      current = heading[1]!;
      if (types[current]) throw new Error(`${file}:${index + 1}: instance type ${current} is listed twice`);
      types[current] = { labels: {}, allocatable: {} };
      table = undefined;
      return;
    }
    if (/^## /.test(line)) current = undefined;
    if (/^#### Labels\s*$/.test(line)) table = 'labels';
    else if (/^#### Resources\s*$/.test(line)) table = 'allocatable';
    const row = /^\s*\|([^|]+)\|([^|]*)\|\s*$/.exec(line);
    if (!row || !current || !table) return;
    const [key, value] = [row[1]!.trim(), row[2]!.trim()];
    if (key === 'Label' || key === 'Resource' || /^-+$/.test(key)) return; // header and separator rows
    types[current]![table][key] = value;
  });
  const names = Object.keys(types);
  if (names.length === 0) throw new Error(`${file}: no instance types found (expected "### \`<type>\`" sections)`);
  for (const name of names) {
    if (Object.keys(types[name]!.labels).length === 0 || Object.keys(types[name]!.allocatable).length === 0) {
      throw new Error(`${file}: instance type ${name} has no Labels or no Resources table`);
    }
  }
  return types;
}

function sortedObject<T>(record: Record<string, T>, map: (value: T) => unknown = (value) => value): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) out[key] = map(record[key]!);
  return out;
}

/** Sorted-key JSON, one instance type per line, so a refresh diff reads type by type. */
export function serializeReference(reference: InstanceTypeReference): string {
  const types = Object.keys(reference.instanceTypes).sort();
  const lines = types.map((name) => {
    const facts = reference.instanceTypes[name]!;
    return `${JSON.stringify(name)}:${JSON.stringify({ allocatable: sortedObject(facts.allocatable), labels: sortedObject(facts.labels) })}`;
  });
  return `{"instanceTypes":{\n${lines.join(',\n')}\n},\n"source":${JSON.stringify(sortedObject(reference.source))}}\n`;
}
