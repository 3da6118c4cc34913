/**
 * Downloads newer upstream versions of the vendored inputs, writes their compact copies and
 * sources.json / SOURCES.md, regenerates the typed APIs and schemas, and prints what changed.
 * The only step of the workspace that needs the network.
 *
 *   nx run upstream:refresh -- --family karpenter --version v1.15.0   # one source, new version
 *   nx run upstream:refresh -- --family flux                          # every flux-* source, same versions
 *   nx run upstream:refresh                                           # everything, same versions
 *   tsx libs/upstream/scripts/refresh.ts [--family <id>]... [--version <v>] [--base-url <url>] [--no-generate]
 *
 * --base-url (or FLOTILLA_UPSTREAM_BASE_URL) replaces GitHub's raw and API hosts, e.g. with a mirror.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findRepoRoot } from '@flotilla/model';
import { refreshSources } from './refresh-sources';
import { diffKinds, diffStat, regenerate, servedKinds } from './regenerate';

export async function main(argv: readonly string[], cwd: string, log: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      family: { type: 'string', multiple: true },
      version: { type: 'string' },
      'base-url': { type: 'string' },
      'no-generate': { type: 'boolean', default: false },
    },
  });
  const root = findRepoRoot(cwd);
  const baseUrl = values['base-url'] ?? process.env.FLOTILLA_UPSTREAM_BASE_URL;
  const before = servedKinds(root);
  const refreshed = await refreshSources({ upstreamDir: join(root, 'libs/upstream'), families: values.family, version: values.version, baseUrl, log });
  for (const { before: old, after } of refreshed) {
    const changed = after.files.filter((f, i) => f.upstream.sha256 !== old.files[i]?.upstream.sha256).length;
    const version = old.version === after.version ? after.version : `${old.version} → ${after.version}`;
    log(`${after.id} ${version} (commit ${after.commit.slice(0, 12)}): ${changed} of ${after.files.length} upstream file(s) changed`);
  }
  if (values['no-generate']) {
    log('not regenerated (--no-generate); run nx run k8s-apis:generate and nx run schemas:generate');
    return 0;
  }
  for (const line of regenerate(root, { instanceTypes: refreshed.some((r) => r.after.kind === 'ec2-instance-types') })) log(line);
  const { added, removed } = diffKinds(before, servedKinds(root));
  log(`kinds/versions added: ${added.length === 0 ? 'none' : ''}`);
  for (const kind of added) log(`  + ${kind}`);
  log(`kinds/versions removed: ${removed.length === 0 ? 'none' : ''}`);
  for (const kind of removed) log(`  - ${kind}`);
  log('changed files:');
  log(diffStat(root) || '  none: the generated output is unchanged');
  log('next: review the diff, bump the chart version in libs/constructs/src/lib/versions.ts, npm run synth, npm run validate, commit');
  return 0;
}

if (process.argv[1] && import.meta.filename && process.argv[1].endsWith('refresh.ts')) {
  main(process.argv.slice(2), process.cwd(), (line) => console.log(line)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`upstream refresh failed: ${error instanceof Error ? error.message : String(error)}`);
      console.error('nothing was written unless every download succeeded; see libs/upstream/SOURCES.md for the recorded URLs');
      process.exitCode = 1;
    },
  );
}
