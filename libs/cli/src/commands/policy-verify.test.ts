import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../lib/command';
import { captureIo } from '../testing';
import { policyVerifyCommand } from './policy-verify';
import { findRepoRoot } from '@flotilla/model';

const repoRoot = () => findRepoRoot(__dirname);

const temps: string[] = [];

/** Every suite.yaml under policies/, so the expected count follows the library as it grows. */
const suiteCount = () =>
  readdirSync(resolve(repoRoot(), 'policies'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('suite.yaml')).length;
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function policyCopy(policy: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-policy-verify-'));
  temps.push(dir);
  cpSync(resolve(repoRoot(), 'policies', policy), join(dir, 'policy'), { recursive: true });
  return dir;
}

describe('flotilla policy verify', () => {
  it('exits 0 and prints ok lines when every suite passes', async () => {
    const out = captureIo({ cwd: repoRoot() });
    expect(await policyVerifyCommand.run(['policies'], out)).toBe(0);
    expect(out.stdout()).toMatch(/^ok\tgeneral\/allowedrepos\/suite\.yaml/m);
    expect(out.stdout()).toMatch(new RegExp(`^PASS \\(${suiteCount()} suites`, 'm'));
  });

  it('lists passing cases with --verbose and filters with --run', async () => {
    const out = captureIo({ cwd: repoRoot() });
    expect(await policyVerifyCommand.run(['policies/general/allowedrepos', '--verbose', '--run', 'lookalike'], out)).toBe(0);
    expect(out.stdout()).toContain('--- PASS: lookalike-prefix-is-disallowed');
    expect(out.stdout()).toMatch(/1 case, 0 failed/);
  });

  it('accepts a suite file and gator\'s ./... form', async () => {
    const out = captureIo({ cwd: resolve(repoRoot(), 'policies') });
    expect(await policyVerifyCommand.run(['general/imagetags/suite.yaml'], out)).toBe(0);
    expect(out.stdout()).toMatch(/^ok\tsuite\.yaml/m);
    expect(out.stdout()).toMatch(/PASS \(1 suite, 2 tests, 5 cases/);
    const all = captureIo({ cwd: resolve(repoRoot(), 'policies') });
    expect(await policyVerifyCommand.run(['./...'], all)).toBe(0);
    expect(all.stdout()).toMatch(new RegExp(`PASS \\(${suiteCount()} suites`));
  });

  it('exits 1 and prints the failing case when an assertion fails', async () => {
    const dir = policyCopy('general/allowedrepos');
    const suite = join(dir, 'policy/suite.yaml');
    writeFileSync(suite, `kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
tests:
- name: wrong
  template: template.yaml
  constraint: samples/repos-allowed/constraint.yaml
  cases:
  - name: disallowed-said-allowed
    object: samples/repos-allowed/example_disallowed.yaml
    assertions: [{violations: no}]
`);
    const out = captureIo({ cwd: dir });
    expect(await policyVerifyCommand.run([], { ...out, cwd: dir, out: out.out, err: out.err }).catch((e) => e)).toBeInstanceOf(UsageError);
    expect(await policyVerifyCommand.run(['.'], out)).toBe(1);
    expect(out.stderr()).toContain('--- FAIL: disallowed-said-allowed');
    expect(out.stderr()).toMatch(/got 1 violation but want 0; violations: "images must come from an allowed repository/);
  });

  it('exits 1 when there are no suites and fails with a usage error for bad arguments', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'flotilla-policy-empty-'));
    temps.push(empty);
    const out = captureIo({ cwd: empty });
    expect(await policyVerifyCommand.run(['.'], out)).toBe(1);
    expect(out.stderr()).toMatch(/no suites found/);
    await expect(policyVerifyCommand.run(['a', 'b'], out)).rejects.toThrow(/expected at most one folder/);
    await expect(policyVerifyCommand.run(['--bogus'], out)).rejects.toThrow(UsageError);
    await expect(policyVerifyCommand.run(['missing-dir'], out)).rejects.toThrow(/folder "missing-dir" does not exist/);
    await expect(policyVerifyCommand.run([repoRoot() + '/policies', '--run', '('], out)).rejects.toThrow(/--run: invalid regular expression/);
  });

  it('prints its help with --help', async () => {
    const out = captureIo({ cwd: repoRoot() });
    expect(await policyVerifyCommand.run(['--help'], out)).toBe(0);
    expect(out.stdout()).toMatch(/^Usage: flotilla policy verify/);
    expect(policyVerifyCommand.name).toBe('policy verify');
  });
});
