import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo, repoRoot } from '../testing';
import { validateCommand } from './validate';

// `flotilla validate` on copies of the committed dev render in a temp folder (policies from the repo).
const scratch = mkdtempSync(join(tmpdir(), 'flotilla-validate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
function devCopy(): string {
  const root = join(scratch, `repo-${copies++}`);
  cpSync(join(repoRoot, 'clusters/dev'), join(root, 'clusters/dev'), { recursive: true });
  return root;
}

async function validate(path: string): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo({ cwd: repoRoot });
  const code = await validateCommand.run(['--format', 'json', '--report-dir', join(scratch, 'reports'), path], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

const findingsOf = (out: string) =>
  (JSON.parse(out) as { findings: { severity: string; code: string; file?: string; path?: string; message: string; fix?: string }[] }).findings.filter((f) => f.severity === 'error');

describe('flotilla validate', () => {
  it('reports a constraint without template and one missing a required parameter as findings with their files (exit 1, not an abort)', async () => {
    const root = devCopy();
    const folder = join(root, 'clusters/dev/policies/extra');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'typo.yaml'), 'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: FlotillaAllowedRepo\nmetadata: {name: typo}\nspec: {}\n');
    writeFileSync(join(folder, 'empty.yaml'), 'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: FlotillaAllowedRepos\nmetadata: {name: empty}\nspec: {parameters: {}}\n');
    const { code, out } = await validate(join(root, 'clusters'));
    expect(code).toBe(1);
    const found = findingsOf(out).map((f) => [f.code, f.file?.replace(root, '')]);
    expect(found).toContainEqual(['policy/unknown-constraint-kind', '/clusters/dev/policies/extra/typo.yaml']);
    expect(found).toContainEqual(['policy/invalid-constraint', '/clusters/dev/policies/extra/empty.yaml']);
  });

  it('reports a Flux spec.path that does not exist on the Kustomization that names it, with the closest folder as fix, and nothing on the unit objects', async () => {
    const root = devCopy();
    const file = join(root, 'clusters/dev/sync/Kustomization.kustomize.toolkit.fluxcd.io_flux-system_karpenter.nodepools.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('infra-configs/karpenter.nodepools"', 'infra-configs/karpenter-nodepools"'));
    const { code, out } = await validate(join(root, 'clusters'));
    expect(code).toBe(1);
    expect(findingsOf(out)).toEqual([
      expect.objectContaining({
        code: 'flux/missing-path',
        file: file,
        path: 'spec.path',
        fix: 'set spec.path: ./clusters/dev/infra-configs/karpenter.nodepools (the closest existing folder), or create ./clusters/dev/infra-configs/karpenter-nodepools',
      }),
    ]);
  });

  it('reports a kustomization.yaml resource that does not exist at its line', async () => {
    const root = devCopy();
    const file = join(root, 'clusters/dev/apps/comfyui/kustomization.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  - Service_imagegen_comfyui.yaml', '  - Service_imagegen_comfy.yaml'));
    const line = readFileSync(file, 'utf8').split('\n').findIndex((text) => text.includes('Service_imagegen_comfy.yaml')) + 1;
    const { code, out } = await validate(join(root, 'clusters'));
    expect(code).toBe(1);
    expect(findingsOf(out)).toEqual([expect.objectContaining({ code: 'kustomize/missing-resource', file: `${file}:${line}`, message: expect.stringContaining('Service_imagegen_comfy.yaml does not exist') })]);
  });
});
