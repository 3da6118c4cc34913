import { LineCounter, parseAllDocuments } from 'yaml';
import { clusterOfFile } from '@flotilla/config';
import type { Finding, KubeObject, RenderedObject } from '@flotilla/model';
import { fastLoad, splitDocuments } from './fast-yaml';


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
    let index = 0;
    const accept = (value: unknown, line: number) => {
      const docIndex = index++;
      if (value === null || value === undefined) return;
      // kustomization.yaml files tell kustomize what to build; they are never applied to the cluster.
      if (isKustomizeConfig(value)) return;
      const problem = identityProblem(value);
      if (problem) {
        findings.push({ severity: 'error', code: 'schema/not-an-object', file: `${file}:${line}`, message: problem.message, fix: problem.fix, cluster });
        return;
      }
      objects.push({ file, index: docIndex, object: value as KubeObject, cluster });
    };
    const slow = (text: string, firstLine: number) => {
      const lineCounter = new LineCounter();
      for (const doc of parseAllDocuments(text, { lineCounter, uniqueKeys: true })) {
        const line = lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line + firstLine - 1;
        if (doc.errors.length > 0) {
          index++;
          const error = doc.errors[0]!;
          const at = lineCounter.linePos(error.pos[0]);
          findings.push({
            severity: 'error',
            code: 'yaml/syntax',
            file: `${file}:${at.line + firstLine - 1}:${at.col}`,
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
          index++;
          findings.push({ severity: 'error', code: 'yaml/syntax', file: `${file}:${line}`, message: `malformed YAML: ${(error as Error).message.split('\n')[0]}`, cluster });
          continue;
        }
        accept(value, line);
      }
    };
    const documents = splitDocuments(content);
    if (!documents) {
      slow(content, 1);
      continue;
    }
    for (const document of documents) {
      const fast = fastLoad(document.text);
      if (fast) accept(fast.value, document.line + leadingLines(document.text));
      else slow(document.text, document.line);
    }
  }
  return { objects, findings };
}

/** Lines before a document's content (its `---` line, comments, blank lines), for finding lines. */
function leadingLines(text: string): number {
  const match = /^(?:(?:---)?[ \t]*(?:#.*)?\r?\n)*/.exec(text);
  return match ? (match[0].match(/\n/g)?.length ?? 0) : 0;
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
