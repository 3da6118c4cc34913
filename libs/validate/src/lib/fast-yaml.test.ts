import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@flotilla/model';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { fastLoad, splitDocuments } from './fast-yaml';
import { parseManifests } from './parse';

const root = findRepoRoot(__dirname);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? yamlFiles(join(dir, entry.name)) : /\.ya?ml$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/** What `yaml` makes of a text: one value per document. */
const viaYaml = (text: string) => parseAllDocuments(text, { uniqueKeys: true }).map((doc) => doc.toJS({ maxAliasCount: 100 }) ?? null);

describe('fast YAML path', () => {
  it('reads every YAML file of the repository (rendered fleet, policies, fixtures) exactly as yaml does', () => {
    const files = [...yamlFiles(join(root, 'clusters')), ...yamlFiles(join(root, 'policies')), ...yamlFiles(join(__dirname, '__fixtures__'))];
    expect(files.length).toBeGreaterThan(400);
    let fast = 0;
    for (const file of files) {
      const content = readFileSync(file, 'utf8');
      const reference = parseAllDocuments(content, { uniqueKeys: true });
      if (reference.some((doc) => doc.errors.length > 0)) continue;
      const documents = splitDocuments(content);
      if (!documents) continue;
      expect(documents.length, file).toBe(reference.length);
      documents.forEach((document, i) => {
        const loaded = fastLoad(document.text);
        if (!loaded) return;
        fast++;
        expect(loaded.value ?? null, `${file} document ${i}`).toEqual(reference[i]!.toJS() ?? null);
      });
    }
    expect(fast).toBeGreaterThan(400);
  });

  it('resolves scalars as YAML 1.2 core (yaml) does, not as YAML 1.1', () => {
    const text = 'a: 1_000\nb: 2024-01-01\nc: 0o17\nd: 0x1F\ne: .inf\nf: -.Inf\ng: yes\nh: ~\ni: 1e3\nj: 012\nk: +12\nl: .5\nm: 0b101\nn: True\n';
    expect(fastLoad(text)?.value).toEqual(viaYaml(text)[0]);
  });

  it('leaves anchors, aliases, tags, merge keys and duplicate keys to yaml', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'base: {x: 1}\n<<: {y: 2}\n', 'a: 1\na: 2\n', 'a: [1\n']) expect(fastLoad(text), text).toBeUndefined();
  });

  it('keeps document indexes, empty documents and line numbers of multi-document files', () => {
    const content = '# header\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\n# note\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n';
    expect(splitDocuments(content)?.length).toBe(viaYaml(content).length);
    const { objects, findings } = parseManifests([{ file: 'x.yaml', content }]);
    expect(objects.map((o) => [o.index, o.object.metadata.name])).toEqual([[0, 'a']]);
    expect(findings).toEqual([expect.objectContaining({ code: 'schema/not-an-object', file: 'x.yaml:9' })]);
  });
});
