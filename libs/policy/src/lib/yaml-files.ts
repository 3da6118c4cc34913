import { readFileSync } from 'node:fs';
import type { KubeObject } from '@flotilla/model';
import { parseAllDocuments } from 'yaml';

/** Every non-empty YAML document of a file, in order. */
export function readYamlDocuments(file: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const out: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${file}: invalid YAML: ${doc.errors[0]!.message}`);
    const value = doc.toJS({ maxAliasCount: 1000 });
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** The single Kubernetes object in a file. */
export function readKubeObject(file: string): KubeObject {
  const docs = readYamlDocuments(file);
  if (docs.length !== 1) throw new Error(`${file}: expected exactly one YAML document, found ${docs.length}`);
  return asKubeObject(docs[0], file);
}

export function asKubeObject(value: unknown, file: string): KubeObject {
  const object = value as Partial<KubeObject> | null;
  if (!object || typeof object !== 'object' || typeof object.kind !== 'string' || typeof object.apiVersion !== 'string') {
    throw new Error(`${file}: expected a Kubernetes object with apiVersion and kind`);
  }
  return { ...object, metadata: object.metadata ?? { name: '' } } as KubeObject;
}
