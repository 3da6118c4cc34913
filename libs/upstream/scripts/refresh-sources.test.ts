import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findRepoRoot } from '@flotilla/model';
import { compactIamPolicy, fetchSource } from './refresh-sources';
import { serveDirectory, type DirectoryServer } from './serve-directory';
import { readSources } from './sources';

const upstreamDir = join(findRepoRoot(__dirname), 'libs/upstream');
const COMMIT = '24e33194fb39488eff2bbf10c6dc640f407cad44';

describe('compactIamPolicy', () => {
  it('re-serializes a policy document with 2-space indents, statements unchanged', () => {
    const text = '{\n    "Version": "2012-10-17",\n    "Statement": [ { "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*" } ]\n}';
    expect(compactIamPolicy(text, 'policy.json')).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  });

  it('refuses anything that is not a policy document, naming the file', () => {
    expect(() => compactIamPolicy('{ "Statement": [] }', 'policy.json')).toThrow('policy.json: expected an IAM policy document with Version "2012-10-17" and a non-empty Statement list');
    expect(() => compactIamPolicy('not json', 'policy.json')).toThrow(/^policy\.json: not JSON/);
  });
});

describe('a chart whose release build writes the version (versionPlaceholder)', () => {
  let root: string;
  let server: DirectoryServer;
  afterEach(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Serves cert-manager's chart files at tag v1.21.1 with `chartVersion` in Chart.yaml (the vendored copies stand in for upstream). */
  async function publish(chartVersion: string): Promise<void> {
    root = mkdtempSync(join(tmpdir(), 'flotilla-chart-'));
    const folder = join(root, 'cert-manager/cert-manager/v1.21.1/deploy/charts/cert-manager');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'Chart.yaml'), `apiVersion: v2\nname: cert-manager\n# The version and appVersion fields are set automatically by the release tool\nversion: ${chartVersion}\n`);
    writeFileSync(join(folder, 'values.schema.json'), readFileSync(join(upstreamDir, 'charts/cert-manager/1.21.1/values.schema.json'), 'utf8'));
    writeFileSync(join(folder, 'values.yaml'), readFileSync(join(upstreamDir, 'charts/cert-manager/1.21.1/values.defaults.json'), 'utf8'));
    mkdirSync(join(root, 'repos/cert-manager/cert-manager/commits'), { recursive: true });
    writeFileSync(join(root, 'repos/cert-manager/cert-manager/commits/v1.21.1'), `${COMMIT}\n`);
    server = await serveDirectory(root);
  }

  const source = () => readSources(upstreamDir).find((s) => s.id === 'chart-cert-manager')!;

  it('accepts Chart.yaml at the tag carrying the placeholder, and records the tag as the version', async () => {
    await publish('v0.0.0');
    const { after } = await fetchSource(source(), '1.21.1', server.url);
    expect(after).toMatchObject({ version: '1.21.1', ref: 'v1.21.1', commit: COMMIT, chart: { name: 'cert-manager', version: '1.21.1', versionPlaceholder: 'v0.0.0' } });
  });

  it('refuses a Chart.yaml that carries another version than the placeholder', async () => {
    await publish('v1.20.0');
    await expect(fetchSource(source(), '1.21.1', server.url)).rejects.toThrow(/Chart\.yaml is chart cert-manager v1\.20\.0, not cert-manager 1\.21\.1/);
  });
});
