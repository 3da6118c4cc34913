import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, relative } from 'node:path';
import { findingFor, type Finding, type RenderedObject } from '@flotilla/model';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { field } from './cluster-index';

const KUSTOMIZE_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The repository root a rendered file lives in: the folder above `clusters/`, else `repoRoot`. */
function rootOf(repoRoot: string, file: string): string {
  const at = file.replace(/\\/g, '/').lastIndexOf('/clusters/');
  return isAbsolute(file) && at >= 0 ? file.slice(0, at) : repoRoot;
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The existing folder closest to a missing one: walk up to the first existing parent, pick its most similar child. */
function closestFolder(root: string, path: string): string | undefined {
  let parent = posix.dirname(path);
  while (parent !== '.' && parent !== '/' && !isDirectory(join(root, parent))) parent = posix.dirname(parent);
  const base = join(root, parent);
  if (!isDirectory(base)) return undefined;
  const wanted = path.slice(parent === '.' ? 0 : parent.length + 1).split('/')[0]!;
  const children = readdirSync(base, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'));
  const best = children.map((entry) => ({ name: entry.name, distance: editDistance(entry.name, wanted) })).sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))[0];
  return best && best.distance <= Math.max(3, wanted.length / 3) ? `./${posix.join(parent === '.' ? '' : parent, best.name)}` : undefined;
}

/**
 * Checks what Flux reads from the repository itself, for `flotilla validate` (synth checks objects
 * before their folders exist): every Flux Kustomization's `spec.path` is a folder of the repository
 * (reported on that Kustomization), and every local entry of the `resources`/`components` of a
 * `kustomization.yaml` under those folders exists (reported at its line).
 */
export function checkFluxPaths(repoRoot: string, objects: readonly RenderedObject[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rendered of objects) {
    const { object } = rendered;
    if (object.kind !== 'Kustomization' || !object.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) continue;
    const source = field<{ kind?: string; name?: string }>(object.spec, 'sourceRef');
    const path = field<string>(object.spec, 'path');
    // Only the bootstrap GitRepository is this repository; other sources' paths are elsewhere.
    if (typeof path !== 'string' || source?.kind !== 'GitRepository' || source.name !== 'flux-system') continue;
    const root = rootOf(repoRoot, rendered.file);
    const folder = posix.normalize(path.replace(/^\.?\//, '') || '.');
    if (!isDirectory(join(root, folder))) {
      const closest = closestFolder(root, folder);
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'flux/missing-path',
          path: 'spec.path',
          message: `folder ${path} does not exist in the repository, so Flux fails to build this Kustomization and applies none of its objects`,
          fix: closest ? `set spec.path: ${closest} (the closest existing folder), or create ${path}` : `point spec.path at the folder that holds this Kustomization's manifests, or create ${path}`,
        }),
      );
      continue;
    }
    findings.push(...checkKustomizeFolder(root, join(root, folder), repoRoot, rendered.cluster, seen));
  }
  return findings;
}

function checkKustomizeFolder(root: string, folder: string, repoRoot: string, cluster: string | undefined, seen: Set<string>): Finding[] {
  if (seen.has(folder)) return [];
  seen.add(folder);
  const name = KUSTOMIZE_FILES.find((candidate) => existsSync(join(folder, candidate)));
  if (!name) return [];
  const absolute = join(folder, name);
  const file = isAbsolute(relative(repoRoot, absolute)) || relative(repoRoot, absolute).startsWith('..') ? absolute : relative(repoRoot, absolute);
  const lineCounter = new LineCounter();
  const document = parseDocument(readFileSync(absolute, 'utf8'), { lineCounter });
  if (document.errors.length > 0 || !isMap(document.contents)) return [];
  const findings: Finding[] = [];
  for (const key of ['resources', 'components']) {
    const list = document.get(key, true);
    if (!isSeq(list)) continue;
    list.items.forEach((item, i) => {
      const entry = (item as { value?: unknown }).value;
      // `flux bootstrap` writes gotk-components.yaml in the cluster; the repository may not hold it.
      if (entry === 'gotk-components.yaml') return;
      if (typeof entry !== 'string' || /^[a-z][a-z0-9+.-]*:\/\/|^(?:github\.com|gitlab\.com|bitbucket\.org)\//i.test(entry) || entry.includes('?ref=')) return;
      const target = join(folder, entry);
      if (!existsSync(target)) {
        const line = lineCounter.linePos((item as { range?: [number] }).range?.[0] ?? 0).line;
        findings.push(
          findingFor(
            { file: `${file}:${line}`, cluster },
            {
              severity: 'error',
              code: 'kustomize/missing-resource',
              path: `${key}[${i}]`,
              message: `${entry} does not exist next to ${name}, so kustomize build (and Flux) fails for this folder`,
              fix: `remove the entry or restore ${posix.join(relative(root, folder).replace(/\\/g, '/'), entry)}${root === repoRoot ? ' (for rendered folders: npm run synth)' : ''}`,
            },
          ),
        );
      } else if (isDirectory(target)) findings.push(...checkKustomizeFolder(root, target, repoRoot, cluster, seen));
    });
  }
  return findings;
}

