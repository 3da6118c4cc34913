import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '@flotilla/model';
import { UsageError } from '../lib/command';
import { captureIo } from '../testing';
import { validateCommand } from './validate';

const root = findRepoRoot(__dirname);
const HELM_EXAMPLE = 'libs/validate/fixtures/flux-repos/flux2-kustomize-helm-example';
const MULTI_TENANCY = 'libs/validate/fixtures/flux-repos/flux2-multi-tenancy';

async function validate(args: string[], invocationDir = root): Promise<{ code: number; stdout: string }> {
  const io = captureIo({ cwd: root, invocationDir });
  const code = await validateCommand.run(args, io);
  return { code, stdout: io.stdout() };
}

interface SarifLog {
  version: string;
  $schema: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }[];
  }[];
}

describe('flotilla validate on a hand-written Flux repository', () => {
  it('text: builds the Flux paths and reports no error on flux2-kustomize-helm-example', async () => {
    const { code, stdout } = await validate([HELM_EXAMPLE, '--ignore-missing-schemas']);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/validated 32 objects from 8 Flux path builds and 26 files in libs\/validate\/fixtures\/flux-repos\/flux2-kustomize-helm-example: 0 error\(s\), 3 warning\(s\), 2 note\(s\); files not validated as objects: 9 \(7 kustomization, 2 patch\)/);
  });

  it('json: one parseable document with the counts, builds and findings', async () => {
    const { code, stdout } = await validate([HELM_EXAMPLE, '--ignore-missing-schemas', '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { errors: number; objects: number; kustomize: string | null; builds: { path: string }[]; findings: { severity: string }[] };
    expect(report).toMatchObject({ errors: 0, objects: 32 });
    expect(report.builds).toHaveLength(8);
    expect(report.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
  });

  it('sarif: SARIF 2.1.0 with one result per finding, each with its rule, file and line', async () => {
    const { code, stdout } = await validate([MULTI_TENANCY, '--ignore-missing-schemas', '--format', 'sarif']);
    expect(code).toBe(1);
    const sarif = JSON.parse(stdout) as SarifLog;
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const [run] = sarif.runs;
    expect(run!.tool.driver.name).toBe('flotilla validate');
    const json = JSON.parse((await validate([MULTI_TENANCY, '--ignore-missing-schemas', '--format', 'json'])).stdout) as { findings: unknown[] };
    expect(run!.results).toHaveLength(json.findings.length);
    for (const result of run!.results) {
      expect(run!.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(result.message.text.length).toBeGreaterThan(0);
      expect(result.locations[0]!.physicalLocation.region!.startLine).toBeGreaterThanOrEqual(1);
    }
    expect(run!.results.filter((result) => result.level === 'error')).toMatchObject([
      {
        ruleId: 'schema/unknown-kind',
        locations: [{ physicalLocation: { artifactLocation: { uri: `${MULTI_TENANCY}/infrastructure/kyverno/source.yaml` }, region: { startLine: 1 } } }],
      },
    ]);
  });

  it('junit: well-formed XML, one testcase per file, a failure for each file with errors', async () => {
    const { stdout } = await validate([MULTI_TENANCY, '--ignore-missing-schemas', '--format', 'junit']);
    const problems: string[] = [];
    const doc = new DOMParser({ onError: (level, message) => problems.push(`${level}: ${message}`) }).parseFromString(stdout, 'text/xml');
    expect(problems).toEqual([]);
    const suite = doc.getElementsByTagName('testsuite')[0]!;
    const cases = Array.from(doc.getElementsByTagName('testcase'));
    expect(Number(suite.getAttribute('tests'))).toBe(cases.length);
    expect(new Set(cases.map((testcase) => testcase.getAttribute('name'))).size).toBe(cases.length);
    const failing = cases.filter((testcase) => testcase.getElementsByTagName('failure').length > 0);
    expect(failing.map((testcase) => testcase.getAttribute('name'))).toEqual([`${MULTI_TENANCY}/infrastructure/kyverno/source.yaml`]);
    expect(Number(suite.getAttribute('failures'))).toBe(1);
    expect(failing[0]!.getElementsByTagName('failure')[0]!.getAttribute('type')).toBe('schema/unknown-kind');
    expect(cases.map((testcase) => testcase.getAttribute('name'))).toContain(`${MULTI_TENANCY}/tenants/base/dev-team/rbac.yaml`);
  });

  it('--skip takes kinds, comma-separated', async () => {
    const { code, stdout } = await validate([MULTI_TENANCY, '--ignore-missing-schemas', '--skip', 'OCIRepository,ClusterPolicy', '--format', 'json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { skippedObjects: number }).skippedObjects).toBe(6);
  });

  it('without kustomize, says which paths could not be built', async () => {
    const before = process.env.FLOTILLA_KUSTOMIZE;
    process.env.FLOTILLA_KUSTOMIZE = 'none';
    try {
      const { code, stdout } = await validate([HELM_EXAMPLE, '--ignore-missing-schemas']);
      expect(code).toBe(0);
      expect(stdout).toContain(
        'warning: kustomize is not available (no kustomize or kubectl on PATH, or FLOTILLA_KUSTOMIZE=none); these Flux paths could not be built, so their files were validated one by one: apps/production, apps/staging, clusters/production, clusters/staging, infrastructure/configs, infrastructure/controllers\n',
      );
    } finally {
      if (before === undefined) delete process.env.FLOTILLA_KUSTOMIZE;
      else process.env.FLOTILLA_KUSTOMIZE = before;
    }
  });

  it('rejects a Kubernetes version without bundled schemas, naming the ones there are', async () => {
    await expect(validate([HELM_EXAMPLE, '--kubernetes-version', '1.20'])).rejects.toThrow(UsageError);
    await expect(validate([HELM_EXAMPLE, '--kubernetes-version', '1.20'])).rejects.toThrow(/--kubernetes-version 1\.20 has no bundled schemas; use one of .*1\.35/);
    await expect(validate([HELM_EXAMPLE, '--format', 'yaml'])).rejects.toThrow(/--format must be one of text, json, junit, sarif/);
  });
});

describe('flotilla validate output formats on plain manifests', () => {
  it('sarif and junit carry the file of a single-file finding; --ignore-missing-schemas notes unknown groups', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-validate-formats-'));
    try {
      writeFileSync(join(dir, 'app.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: 1}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n');
      const strict = await validate(['app.yaml', '--format', 'json'], dir);
      expect(strict.code).toBe(1);
      const ignoring = await validate(['app.yaml', '--format', 'sarif', '--ignore-missing-schemas'], dir);
      const results = (JSON.parse(ignoring.stdout) as SarifLog).runs[0]!.results;
      expect(results.map((result) => [result.ruleId, result.level])).toEqual(
        expect.arrayContaining([
          ['schema/type', 'error'],
          ['schema/missing-schema-ignored', 'note'],
        ]),
      );
      const junit = await validate(['app.yaml', '--format', 'junit'], dir);
      const doc = new DOMParser().parseFromString(junit.stdout, 'text/xml');
      expect(Array.from(doc.getElementsByTagName('testcase')).map((testcase) => testcase.getAttribute('name'))).toEqual([join(dir, 'app.yaml')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
