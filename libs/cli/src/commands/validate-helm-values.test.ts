import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo, repoRoot } from '../testing';
import { validateCommand } from './validate';

// `flotilla validate` on a copy of the committed dev render whose HelmRelease YAML was edited by hand.
const scratch = mkdtempSync(join(tmpdir(), 'flotilla-validate-helm-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ESO = 'clusters/dev/infra-controllers/external-secrets/HelmRelease.helm.toolkit.fluxcd.io_external-secrets_external-secrets.yaml';

describe('flotilla validate on a rendered tree', () => {
  it("reports a Helm value the chart's schema rejects at its file, with the values path and fix (exit 1)", async () => {
    // GIVEN dev's external-secrets release with resources: "512MB" added to its values
    cpSync(join(repoRoot, 'clusters/dev'), join(scratch, 'clusters/dev'), { recursive: true });
    const file = join(scratch, ESO);
    writeFileSync(file, readFileSync(file, 'utf8').replace('    replicaCount: 1\n    serviceAccount:', '    replicaCount: 1\n    resources: 512MB\n    serviceAccount:'));
    // WHEN validating it
    const io = captureIo({ cwd: repoRoot });
    const code = await validateCommand.run(['--format', 'json', '--report-dir', join(scratch, 'reports'), join(scratch, 'clusters')], io);
    const out = io.stdout();
    // THEN exactly that value is an error naming the cluster, the release, the path and the fix
    expect(code).toBe(1);
    const errors = (JSON.parse(out) as { findings: { severity: string }[] }).findings.filter((f) => f.severity === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'helm/values-type',
        cluster: 'dev',
        file,
        object: 'HelmRelease external-secrets/external-secrets',
        path: 'spec.values.resources',
        message: 'chart external-secrets 2.9.0 rejects the values: "512MB" is a string, expected an object',
        fix: expect.stringMatching(/^write an object here \(schema: libs\/upstream\/charts\/external-secrets\/2\.9\.0\/values\.schema\.json/),
      }),
    ]);
  });
});
