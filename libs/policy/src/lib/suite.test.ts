import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatSuiteResults, verifySuites } from './suite';
import { workspacePoliciesDir } from '../testing';


const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-suite-'));
  temps.push(dir);
  cpSync(resolve(__dirname, '__fixtures__/gatekeeper-library'), dir, { recursive: true });
  return dir;
}

describe('verifySuites', () => {
  it('passes every suite under policies/', async () => {
    // GIVEN the policy library WHEN running its suites
    const result = await verifySuites(workspacePoliciesDir);
    // THEN all pass, and every policy has a suite with cases
    expect(formatSuiteResults(result)).toMatch(/^PASS/m);
    expect(result.passed).toBe(true);
    expect(result.counts.suites).toBe(16);
    expect(result.counts.cases).toBeGreaterThanOrEqual(35);
    expect(result.counts.failed).toBe(0);
    // The Ratify template (external data) is checked but never evaluated: its cases are skipped, with the reason.
    const signatures = result.suites.find((s) => s.path === 'supply-chain/imagesignatures/suite.yaml')!;
    const note = 'external data: not evaluated offline (Rego calls provider ratify-provider at admission)';
    expect(signatures.tests[0]!.cases.map((c) => [c.name, c.skipped, c.note])).toEqual([
      ['signed-image-needs-ratify', true, note],
      ['unsigned-image-needs-ratify', true, note],
    ]);
    expect(result.counts.skipped).toBe(2);
    expect(formatSuiteResults(result)).toContain(`--- SKIP: unsigned-image-needs-ratify\t(0.000s)\t${note}`);
  });

  it('verifies a suite laid out like gatekeeper-library without changes', async () => {
    const dir = copyFixture();
    const result = await verifySuites(dir);
    expect(result.passed).toBe(true);
    expect(result.suites.map((s) => s.path)).toEqual(['general/requiredlabels/suite.yaml']);
    expect(result.suites[0]!.tests[0]!.cases.map((c) => [c.name, c.passed])).toEqual([
      ['example-allowed', true],
      ['example-disallowed', true],
      ['example-disallowed-label-value', true],
    ]);
  });

  it('fails a case whose assertion does not hold, naming the count and the violations', async () => {
    const dir = copyFixture();
    const suite = join(dir, 'general/requiredlabels/suite.yaml');
    writeFileSync(suite, `kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
tests:
- name: wrong-expectations
  template: template.yaml
  constraint: samples/all-must-have-owner/constraint.yaml
  cases:
  - name: allowed-said-disallowed
    object: samples/all-must-have-owner/example_allowed.yaml
    assertions:
    - violations: yes
  - name: wrong-message
    object: samples/all-must-have-owner/example_disallowed.yaml
    assertions:
    - violations: 1
      message: "^nope"
  - name: skipped
    skip: true
    object: samples/all-must-have-owner/example_allowed.yaml
`);
    const result = await verifySuites(dir);
    expect(result.passed).toBe(false);
    const cases = result.suites[0]!.tests[0]!.cases;
    expect(cases[0]).toMatchObject({ passed: false, error: 'assertions[0]: got 0 violations but want at least 1' });
    expect(cases[1]!.error).toMatch(/got 0 violations matching "\^nope" but want 1; violations: "missing required label, requires all of: owner"/);
    expect(cases[2]).toMatchObject({ skipped: true, passed: true });
    const text = formatSuiteResults(result);
    expect(text).toContain('--- FAIL: allowed-said-disallowed');
    expect(text).toMatch(/^FAIL\tgeneral\/requiredlabels\/suite\.yaml/m);
    expect(text).toMatch(/^FAIL \(1 suite, 1 test, 3 cases, 2 failed, 1 skipped\)$/m);
  });

  it('supports invalid constraints, AdmissionReview objects, inventory namespaces and --run', async () => {
    const dir = copyFixture();
    const base = join(dir, 'general/requiredlabels');
    writeFileSync(join(base, 'bad-constraint.yaml'), 'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\nmetadata: {name: bad}\nspec:\n  parameters:\n    labels: owner\n');
    writeFileSync(join(base, 'selector-constraint.yaml'), 'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\nmetadata: {name: sel}\nspec:\n  match:\n    namespaceSelector: {matchLabels: {env: prod}}\n  parameters:\n    labels: [{key: owner}]\n');
    writeFileSync(join(base, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {env: prod}}\n');
    writeFileSync(join(base, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: shop}\n');
    writeFileSync(join(base, 'review.yaml'), 'apiVersion: admission.k8s.io/v1\nkind: AdmissionReview\nrequest:\n  operation: DELETE\n  oldObject: {apiVersion: v1, kind: ConfigMap, metadata: {name: cm, namespace: shop}}\n');
    writeFileSync(join(base, 'suite.yaml'), `kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
tests:
- name: invalid-parameters
  template: template.yaml
  constraint: bad-constraint.yaml
  invalid: true
- name: selector
  template: template.yaml
  constraint: selector-constraint.yaml
  cases:
  - name: with-inventory
    object: cm.yaml
    inventory: [ns.yaml]
    assertions: [{violations: 1, message: owner}]
  - name: without-inventory
    object: cm.yaml
  - name: delete-review-uses-old-object
    object: review.yaml
    inventory: [ns.yaml]
    assertions: [{violations: 1}]
`);
    const result = await verifySuites(dir);
    const [invalid, selector] = result.suites[0]!.tests;
    expect(invalid).toMatchObject({ name: 'invalid-parameters', passed: true });
    expect(selector!.cases.map((c) => [c.name, c.passed])).toEqual([['with-inventory', true], ['without-inventory', false], ['delete-review-uses-old-object', true]]);
    expect(selector!.cases[1]!.error).toMatch(/missing Namespace "shop"/);
    const filtered = await verifySuites(dir, { run: 'with-inventory$' });
    expect(filtered.counts.cases).toBe(1);
    expect(filtered.passed).toBe(true);
  });
});
