import { LineCounter, parseAllDocuments } from 'yaml';
import { clusterOfFile } from '@flotilla/config';
import type { Finding, KubeObject, RenderedObject } from '@flotilla/model';


/**
 * Parses rendered YAML files into objects. Every problem (malformed YAML, a document that is not an
 * object, missing apiVersion/kind/metadata.name) becomes a finding with the file and line; documents
 * with problems are left out of `objects`; empty documents and kustomize configuration
 * (`kustomize.config.k8s.io`, i.e. `kustomization.yaml`) are skipped.
 */
export function parseManifests(files: readonly { file: string; content: string }[]): {
  objects: RenderedObject[];
  findings: Finding[];
} {
  const objects: RenderedObject[] = [];
  const findings: Finding[] = [];
  for (const { file, content } of files) {
    const cluster = clusterOfFile(file);
    const lineCounter = new LineCounter();
    const docs = parseAllDocuments(content, { lineCounter, uniqueKeys: true });
    let index = 0;
    for (const doc of docs) {
      const docIndex = index++;
      const line = lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
      if (doc.errors.length > 0) {
        const error = doc.errors[0]!;
        const at = lineCounter.linePos(error.pos[0]);
        findings.push({
          severity: 'error',
          code: 'yaml/syntax',
          file: `${file}:${at.line}:${at.col}`,
          message: `malformed YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
          fix: 'fix the YAML syntax at that line (indentation, unclosed brackets or quotes, duplicate keys)',
          cluster,
        });
        continue;
      }
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (error) {
        findings.push({
          severity: 'error',
          code: 'yaml/syntax',
          file: `${file}:${line}`,
          message: `malformed YAML: ${(error as Error).message.split('\n')[0]}`,
          cluster,
        });
        continue;
      }
      if (value === null || value === undefined) continue;
      // kustomization.yaml files tell kustomize what to build; they are never applied to the cluster.
      if (isKustomizeConfig(value)) continue;
      const problem = identityProblem(value);
      if (problem) {
        findings.push({ severity: 'error', code: 'schema/not-an-object', file: `${file}:${line}`, message: problem.message, fix: problem.fix, cluster });
        continue;
      }
      objects.push({ file, index: docIndex, object: value as KubeObject, cluster });
    }
  }
  return { objects, findings };
}

function isKustomizeConfig(value: unknown): boolean {
  const apiVersion = (value as { apiVersion?: unknown })?.apiVersion;
  return typeof apiVersion === 'string' && apiVersion.startsWith('kustomize.config.k8s.io/');
}

/** Why a value is not a usable Kubernetes object (no apiVersion, kind or name), or undefined. */
export function identityProblem(value: unknown): { message: string; fix: string } | undefined {
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      message: `document is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not a Kubernetes object`,
      fix: 'each YAML document must be a mapping with apiVersion, kind and metadata',
    };
  }
  const object = value as Record<string, unknown>;
  const missing = ['apiVersion', 'kind'].filter((key) => typeof object[key] !== 'string' || object[key] === '');
  const metadata = object.metadata as Record<string, unknown> | undefined;
  if (!metadata || typeof metadata !== 'object' || (typeof metadata.name !== 'string' && typeof metadata.generateName !== 'string')) {
    missing.push('metadata.name');
  }
  if (missing.length === 0) return undefined;
  return { message: `object has no ${missing.join(', ')}`, fix: `set ${missing.join(' and ')}` };
}
