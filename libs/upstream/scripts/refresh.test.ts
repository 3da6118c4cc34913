import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { findRepoRoot } from '@flotilla/model';
import { serveDirectory, type DirectoryServer } from './serve-directory';
import { digest, readSources } from './sources';

const repoRoot = findRepoRoot(__dirname);
const run = promisify(execFile);
// What the refresh reads and writes; the rest of the workspace plays no part.
const COPIED = ['nx.json', 'package.json', 'tsconfig.json', 'tsconfig.base.json', 'libs/model', 'libs/upstream', 'libs/schemas', 'libs/k8s-apis'];
const NEW_COMMIT = '1111111111111111111111111111111111111111';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

/** A git repository holding a copy of the folders the refresh touches, node_modules linked. */
function workspaceCopy(): string {
  const work = mkdtempSync(join(tmpdir(), 'upstream-refresh-'));
  for (const path of COPIED) cpSync(join(repoRoot, path), join(work, path), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(work, 'node_modules'), 'dir');
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'add', '-A');
  git(work, '-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'base');
  return work;
}

/**
 * "Karpenter v1.15.0" on a local GitHub look-alike: the pinned CRDs, except that NodePool gains a
 * field and NodeClaim a served version.
 */
function publishKarpenter(serveRoot: string, options: { withNodeClaims: boolean }): Record<string, string> {
  const crds = join(repoRoot, 'libs/upstream/crds/karpenter');
  const nodePool = parse(readFileSync(join(crds, 'karpenter.sh_nodepools.yaml'), 'utf8'));
  nodePool.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.replicaCap = { type: 'integer', minimum: 0, description: 'new in this release' };
  const nodeClaim = parse(readFileSync(join(crds, 'karpenter.sh_nodeclaims.yaml'), 'utf8'));
  nodeClaim.spec.versions.push({ ...nodeClaim.spec.versions[0], name: 'v1beta2', storage: false });
  const files: Record<string, string> = {
    'karpenter.k8s.aws_ec2nodeclasses.yaml': readFileSync(join(crds, 'karpenter.k8s.aws_ec2nodeclasses.yaml'), 'utf8'),
    'karpenter.sh_nodepools.yaml': `# upstream header comment\n${stringify(nodePool)}`,
    ...(options.withNodeClaims ? { 'karpenter.sh_nodeclaims.yaml': stringify(nodeClaim) } : {}),
  };
  for (const [name, content] of Object.entries(files)) {
    const path = join(serveRoot, 'aws/karpenter-provider-aws/v1.15.0/pkg/apis/crds', name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  mkdirSync(join(serveRoot, 'repos/aws/karpenter-provider-aws/commits'), { recursive: true });
  writeFileSync(join(serveRoot, 'repos/aws/karpenter-provider-aws/commits/v1.15.0'), `${NEW_COMMIT}\n`);
  return files;
}

/**
 * "external-secrets chart 2.10.0" on a local GitHub look-alike, at its release tag: the vendored
 * schema and defaults plus one new value; `chartVersion` is what its Chart.yaml says.
 */
function publishExternalSecretsChart(serveRoot: string, chartVersion: string): { schema: string; values: string } {
  const vendored = join(repoRoot, 'libs/upstream/charts/external-secrets/2.9.0');
  const schema = JSON.parse(readFileSync(join(vendored, 'values.schema.json'), 'utf8'));
  schema.properties.shardCount = { type: 'integer', minimum: 1, description: 'new in this release' };
  const defaults = JSON.parse(readFileSync(join(vendored, 'values.defaults.json'), 'utf8'));
  const files = {
    schema: `${JSON.stringify(schema, null, 4)}\n`,
    values: `# -- Number of shards\n${stringify({ ...defaults, shardCount: 1 })}`,
  };
  const folder = join(serveRoot, 'external-secrets/external-secrets/helm-chart-2.10.0/deploy/charts/external-secrets');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'values.schema.json'), files.schema);
  writeFileSync(join(folder, 'values.yaml'), files.values);
  writeFileSync(join(folder, 'Chart.yaml'), `apiVersion: v2\nname: external-secrets\nversion: "${chartVersion}"\nappVersion: "v${chartVersion}"\n`);
  mkdirSync(join(serveRoot, 'repos/external-secrets/external-secrets/commits'), { recursive: true });
  writeFileSync(join(serveRoot, 'repos/external-secrets/external-secrets/commits/helm-chart-2.10.0'), `${NEW_COMMIT}\n`);
  return files;
}

function refreshChart(work: string, server: DirectoryServer) {
  return run(join(work, 'node_modules/.bin/tsx'), ['libs/upstream/scripts/refresh.ts', '--family', 'chart-external-secrets', '--version', '2.10.0'], {
    cwd: work,
    env: { ...process.env, FLOTILLA_UPSTREAM_BASE_URL: server.url },
    maxBuffer: 16 * 1024 * 1024,
  });
}

function refresh(work: string, server: DirectoryServer) {
  return run(join(work, 'node_modules/.bin/tsx'), ['libs/upstream/scripts/refresh.ts', '--family', 'karpenter', '--version', 'v1.15.0'], {
    cwd: work,
    env: { ...process.env, FLOTILLA_UPSTREAM_BASE_URL: server.url },
    maxBuffer: 16 * 1024 * 1024,
  });
}

describe('nx run upstream:refresh', () => {
  let work: string;
  let serveRoot: string;
  let server: DirectoryServer;

  beforeEach(async () => {
    work = workspaceCopy();
    serveRoot = mkdtempSync(join(tmpdir(), 'upstream-serve-'));
    server = await serveDirectory(serveRoot);
  });

  afterEach(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
    rmSync(serveRoot, { recursive: true, force: true });
  });

  it('downloads a new Karpenter version, records it, regenerates the typed APIs and schemas and says what changed', async () => {
    // GIVEN Karpenter v1.15.0 published on a local server, NodePool with a new field
    const published = publishKarpenter(serveRoot, { withNodeClaims: true });
    // WHEN refreshing the karpenter family to it
    const { stdout } = await refresh(work, server);
    // THEN it fetched the commit and the three recorded files from the local server only
    expect([...server.requests].sort()).toEqual(
      [
        '/repos/aws/karpenter-provider-aws/commits/v1.15.0',
        ...Object.keys(published).map((name) => `/aws/karpenter-provider-aws/v1.15.0/pkg/apis/crds/${name}`),
      ].sort(),
    );
    // AND sources.json records the version, commit, canonical URLs and both checksums
    const karpenter = readSources(join(work, 'libs/upstream')).find((s) => s.id === 'karpenter')!;
    expect(karpenter).toMatchObject({ version: 'v1.15.0', ref: 'v1.15.0', commit: NEW_COMMIT });
    for (const file of karpenter.files) {
      expect(file.url).toBe(`https://raw.githubusercontent.com/aws/karpenter-provider-aws/v1.15.0/pkg/apis/crds/${file.file}`);
      expect(file.upstream).toEqual(digest(published[file.file]!));
      expect(file.compact).toEqual(digest(readFileSync(join(work, 'libs/upstream/crds/karpenter', file.file), 'utf8')));
    }
    // AND the compact copy, the typed API and the schema bundle have the new field, without its description
    const compact = readFileSync(join(work, 'libs/upstream/crds/karpenter/karpenter.sh_nodepools.yaml'), 'utf8');
    expect(compact).toContain('replicaCap:');
    expect(compact).not.toContain('new in this release');
    expect(readFileSync(join(work, 'libs/k8s-apis/src/karpenter/karpenter.sh_nodepools.ts'), 'utf8')).toMatch(/readonly replicaCap\?: number;/);
    expect(JSON.parse(readFileSync(join(work, 'libs/schemas/src/generated/karpenter.json'), 'utf8')).kinds['karpenter.sh/v1/NodePool'].schema.properties.spec.properties.replicaCap).toEqual({ minimum: 0, type: 'integer' });
    // AND it printed the new version, the added kind version and the diff stat of what it changed
    expect(stdout).toContain(`karpenter v1.14.1 → v1.15.0 (commit ${NEW_COMMIT.slice(0, 12)}): 3 of 3 upstream file(s) changed`);
    expect(stdout).toMatch(/kinds\/versions added: \n {2}\+ karpenter: karpenter\.sh\/v1beta2\/NodeClaim\n/);
    expect(stdout).toContain('kinds/versions removed: none');
    expect(stdout).toMatch(/libs\/k8s-apis\/src\/karpenter\/karpenter\.sh_nodepools\.ts +\| +\d+/);
    expect(stdout).toMatch(/libs\/schemas\/src\/generated\/karpenter\.json +\| +\d+/);
    // AND nothing outside the karpenter family changed
    const changed = git(work, 'status', '--porcelain').split('\n').filter(Boolean).map((line) => line.slice(3));
    expect(changed.filter((path) => !/karpenter|sources\.json|SOURCES\.md/.test(path))).toEqual([]);
    expect(changed).toContain('libs/k8s-apis/src/karpenter/karpenter.sh_nodeclaims.ts');
  });

  it('writes nothing when a recorded file is missing upstream, and names the URL', async () => {
    // GIVEN a release without the NodeClaim CRD
    publishKarpenter(serveRoot, { withNodeClaims: false });
    // WHEN refreshing THEN it fails naming the URL and the HTTP status, and the copy is untouched
    const failure = await refresh(work, server).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`GET ${server.url}/aws/karpenter-provider-aws/v1.15.0/pkg/apis/crds/karpenter.sh_nodeclaims.yaml: HTTP 404 Not Found`);
    expect(git(work, 'status', '--porcelain')).toBe('');
  });

  it('vendors a new chart version: values schema and defaults at the release tag, typed values and the schema bundle regenerated', async () => {
    // GIVEN external-secrets chart 2.10.0 published on a local server with a new value
    const published = publishExternalSecretsChart(serveRoot, '2.10.0');
    // WHEN refreshing its chart source to that version
    const { stdout } = await refreshChart(work, server);
    // THEN it read Chart.yaml, the schema and values.yaml at the chart's release tag
    const base = '/external-secrets/external-secrets/helm-chart-2.10.0/deploy/charts/external-secrets';
    expect([...server.requests].sort()).toEqual(
      ['/repos/external-secrets/external-secrets/commits/helm-chart-2.10.0', `${base}/Chart.yaml`, `${base}/values.schema.json`, `${base}/values.yaml`].sort(),
    );
    // AND sources.json records chart, version, tag, commit and both checksums; the old version's folder is gone
    const source = readSources(join(work, 'libs/upstream')).find((s) => s.id === 'chart-external-secrets')!;
    expect(source).toMatchObject({ version: '2.10.0', ref: 'helm-chart-2.10.0', commit: NEW_COMMIT, chart: { name: 'external-secrets', version: '2.10.0' } });
    expect(source.files.map((f) => f.upstream)).toEqual([digest(published.schema), digest(published.values)]);
    const dir = join(work, 'libs/upstream/charts/external-secrets');
    expect(readdirSync(dir)).toEqual(['2.10.0']);
    const compact = readFileSync(join(dir, '2.10.0/values.schema.json'), 'utf8');
    expect(source.files[0]!.compact).toEqual(digest(compact));
    expect(compact).not.toContain('new in this release');
    expect(JSON.parse(readFileSync(join(dir, '2.10.0/values.defaults.json'), 'utf8')).shardCount).toBe(1);
    // AND the typed values and the validation bundle follow the new version
    const typed = readFileSync(join(work, 'libs/k8s-apis/src/helm-values/external-secrets.ts'), 'utf8');
    expect(typed).toContain("export const externalSecretsChart = { name: 'external-secrets', version: '2.10.0' } as const;");
    expect(typed).toMatch(/readonly shardCount\?: number;/);
    const bundle = JSON.parse(readFileSync(join(work, 'libs/schemas/src/generated/helm-values.json'), 'utf8'));
    expect(Object.keys(bundle.charts).filter((key) => key.startsWith('external-secrets@'))).toEqual(['external-secrets@2.10.0']);
    expect(stdout).toContain(`chart-external-secrets 2.9.0 → 2.10.0 (commit ${NEW_COMMIT.slice(0, 12)}): 2 of 2 upstream file(s) changed`);
    expect(stdout).toMatch(/libs\/k8s-apis\/src\/helm-values\/external-secrets\.ts +\| +\d+/);
  });

  it('refuses files whose Chart.yaml is another chart version, and writes nothing', async () => {
    // GIVEN the tag serves a Chart.yaml that still says 2.9.0
    publishExternalSecretsChart(serveRoot, '2.9.0');
    // WHEN refreshing THEN it fails naming the URL and both versions, and the copy is untouched
    const failure = await refreshChart(work, server).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(
      `https://raw.githubusercontent.com/external-secrets/external-secrets/helm-chart-2.10.0/deploy/charts/external-secrets/Chart.yaml is chart external-secrets 2.9.0, not external-secrets 2.10.0`,
    );
    expect(git(work, 'status', '--porcelain')).toBe('');
  });
});
