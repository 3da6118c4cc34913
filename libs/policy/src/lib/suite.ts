import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { compileRe2 } from './re2';
import type { KubeObject } from '@flotilla/model';
import { constraintMatches } from './match';
import { constraintProblems } from './parameters-schema';
import { namespaceIndex, requestFor, reviewConstraint, type Review } from './evaluate';
import { compileTemplate, type CompiledTemplate } from './template';
import { asKubeObject, readKubeObject, readYamlDocuments } from './yaml-files';

/** gator verify suites (`kind: Suite`, `test.gatekeeper.sh/v1alpha1`); paths are relative to the suite file. */
export interface Suite {
  kind: 'Suite';
  apiVersion: string;
  metadata?: { name?: string };
  tests?: SuiteTest[];
}

export interface SuiteTest {
  name?: string;
  template: string;
  constraint: string;
  expansion?: string;
  invalid?: boolean;
  skip?: boolean;
  cases?: SuiteCase[];
}

export interface SuiteCase {
  name?: string;
  object: string;
  inventory?: string[];
  assertions?: { violations?: string | number; message?: string }[];
  skip?: boolean;
}

export interface CaseResult {
  readonly name: string;
  readonly skipped: boolean;
  /** Why a case was skipped without the suite asking (a template Flotilla cannot evaluate offline). */
  readonly note?: string;
  readonly passed: boolean;
  /** Why the case failed. */
  readonly error?: string;
  /** Messages of the violations the case produced. */
  readonly violations: readonly string[];
  readonly durationMs: number;
}

export interface TestResult {
  readonly name: string;
  readonly skipped: boolean;
  readonly passed: boolean;
  readonly error?: string;
  readonly cases: readonly CaseResult[];
  readonly durationMs: number;
}

export interface SuiteResult {
  /** Suite file relative to the directory given to verifySuites. */
  readonly path: string;
  readonly passed: boolean;
  readonly error?: string;
  readonly tests: readonly TestResult[];
  readonly durationMs: number;
}

export interface SuiteRunResult {
  readonly root: string;
  readonly passed: boolean;
  readonly suites: readonly SuiteResult[];
  readonly counts: { readonly suites: number; readonly tests: number; readonly cases: number; readonly failed: number; readonly skipped: number };
}

export interface VerifyOptions {
  /**
   * Only run tests and cases whose `<test>/<case>` path matches this RE2 regex (gator's `--run`).
   * @default - run everything
   */
  run?: string;
}

function suiteFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...suiteFiles(path));
    else if (/\.ya?ml$/.test(entry.name) && /^kind:\s*Suite\s*$/m.test(readFileSync(path, 'utf8'))) out.push(path);
  }
  return out.sort();
}

function reviewOf(object: KubeObject): Review {
  if (object.kind !== 'AdmissionReview') return { object, oldObject: null, request: requestFor(object) };
  const request = ((object as unknown as { request?: Record<string, unknown> }).request ?? {}) as Record<string, unknown>;
  const { object: newObject, oldObject, ...rest } = request;
  const operation = String(rest.operation ?? '');
  // Gatekeeper clears `object` on DELETE so that CEL behaves as in a ValidatingAdmissionPolicy
  return { object: operation === 'DELETE' ? null : ((newObject as KubeObject) ?? null), oldObject: (oldObject as KubeObject) ?? null, request: { ...rest, operation } };
}

function expectedCount(violations: string | number | undefined): { kind: 'yes' | 'no' | 'count'; count: number } {
  if (violations === undefined || violations === 'yes') return { kind: 'yes', count: 0 };
  if (violations === 'no') return { kind: 'no', count: 0 };
  const n = typeof violations === 'number' ? violations : /^\d+$/.test(violations) ? Number(violations) : NaN;
  if (!Number.isInteger(n) || n < 0) throw new Error(`assertion violations must be "yes", "no" or a non-negative integer, got ${JSON.stringify(violations)}`);
  return { kind: 'count', count: n };
}

function runCase(suiteDir: string, template: CompiledTemplate, constraint: KubeObject, testCase: SuiteCase): Omit<CaseResult, 'name' | 'skipped' | 'durationMs'> {
  if (!testCase.object) throw new Error('case.object is required');
  const object = readKubeObject(resolve(suiteDir, testCase.object));
  const inventory = (testCase.inventory ?? []).flatMap((file) => readYamlDocuments(resolve(suiteDir, file)).map((doc) => ({ object: asKubeObject(doc, file) })));
  const lookup = namespaceIndex([...inventory, { object }])(undefined);
  const review = reviewOf(object);
  const matched = constraintMatches((constraint.spec as { match?: never } | undefined)?.match, review.object, review.oldObject, lookup);
  if (matched.error) throw new Error(matched.error);
  const target = review.object ?? review.oldObject;
  const namespace = target && target.kind !== 'Namespace' ? target.metadata?.namespace : undefined;
  const results = matched.matches ? reviewConstraint(template, constraint, review, namespace ? (lookup(namespace) ?? null) : null) : [];
  const messages = results.map((r) => r.message);
  const failures: string[] = [];
  const assertions = testCase.assertions?.length ? testCase.assertions : [{}];
  for (const [i, assertion] of assertions.entries()) {
    const expected = expectedCount(assertion.violations);
    const pattern = assertion.message === undefined ? undefined : compileRe2(assertion.message);
    const count = pattern ? messages.filter((m) => pattern.test(m)).length : messages.length;
    const about = pattern ? ` matching ${JSON.stringify(assertion.message)}` : '';
    const ok = expected.kind === 'yes' ? count > 0 : expected.kind === 'no' ? count === 0 : count === expected.count;
    if (!ok) {
      const want = expected.kind === 'yes' ? 'at least 1' : expected.kind === 'no' ? '0' : String(expected.count);
      failures.push(`assertions[${i}]: got ${count} violation${count === 1 ? '' : 's'}${about} but want ${want}${messages.length ? `; violations: ${messages.map((m) => JSON.stringify(m)).join(', ')}` : ''}`);
    }
  }
  return { passed: failures.length === 0, violations: messages, ...(failures.length ? { error: failures.join('\n') } : {}) };
}

function runTest(suiteDir: string, test: SuiteTest, index: number, filter: ((path: string) => boolean) | undefined): TestResult {
  const name = test.name ?? `tests[${index}]`;
  const started = performance.now();
  const done = (result: Omit<TestResult, 'name' | 'durationMs'>): TestResult => ({ name, ...result, durationMs: performance.now() - started });
  if (test.skip) return done({ skipped: true, passed: true, cases: [] });
  let template: CompiledTemplate;
  let constraint: KubeObject;
  try {
    if (test.expansion) throw new Error('expansion templates are not supported by Flotilla (no Gatekeeper expansion); test the expanded resources directly');
    if (!test.template || !test.constraint) throw new Error('test.template and test.constraint are required');
    template = compileTemplate(readKubeObject(resolve(suiteDir, test.template)));
    constraint = readKubeObject(resolve(suiteDir, test.constraint));
  } catch (error) {
    return done({ skipped: false, passed: false, error: (error as Error).message, cases: [] });
  }
  const problems = constraintProblems(template, constraint);
  if (test.invalid) {
    return problems.length > 0 ? done({ skipped: false, passed: true, cases: [] }) : done({ skipped: false, passed: false, error: 'constraint is valid but the test expects it to be invalid (invalid: true)', cases: [] });
  }
  if (problems.length > 0) return done({ skipped: false, passed: false, error: `constraint ${test.constraint} is invalid: ${problems.join('; ')}`, cases: [] });
  const cases: CaseResult[] = [];
  for (const [i, testCase] of (test.cases ?? []).entries()) {
    const caseName = testCase.name ?? `cases[${i}]`;
    if (filter && !filter(`${name}/${caseName}`)) continue;
    const caseStarted = performance.now();
    if (testCase.skip) {
      cases.push({ name: caseName, skipped: true, passed: true, violations: [], durationMs: 0 });
      continue;
    }
    if (template.notEvaluatedOffline) {
      // Reported as skipped, never as passed: the provider's answer does not exist offline.
      cases.push({ name: caseName, skipped: true, passed: true, note: template.notEvaluatedOffline, violations: [], durationMs: 0 });
      continue;
    }
    try {
      cases.push({ name: caseName, skipped: false, ...runCase(suiteDir, template, constraint, testCase), durationMs: performance.now() - caseStarted });
    } catch (error) {
      cases.push({ name: caseName, skipped: false, passed: false, error: (error as Error).message, violations: [], durationMs: performance.now() - caseStarted });
    }
  }
  return done({ skipped: false, passed: cases.every((c) => c.passed), cases });
}

/**
 * Runs every gator-format suite under `dir` (files with `kind: Suite`; `dir` may also be one suite
 * file, or end in gator's `/...`), with gator verify
 * semantics: the template must compile, the constraint must be of its kind and valid against its
 * parameter schema (or invalid when `invalid: true`), and each case's assertions must hold.
 */
export async function verifySuites(dir: string, options: VerifyOptions = {}): Promise<SuiteRunResult> {
  // gator accepts `./...` for "this folder, recursively" (always recursive here) and single files
  const target = resolve(dir.replace(/(^|\/)\.\.\.$/, '$1.'));
  const single = statSync(target).isFile();
  const root = single ? dirname(target) : target;
  const filterRe = options.run ? compileRe2(options.run) : undefined;
  const filter = filterRe ? (path: string) => filterRe.test(path) : undefined;
  const suites: SuiteResult[] = [];
  for (const file of single ? [target] : suiteFiles(root)) {
    const started = performance.now();
    const path = relative(root, file) || file;
    try {
      const docs = readYamlDocuments(file) as Suite[];
      const suite = docs.find((d) => d?.kind === 'Suite');
      if (!suite || !String(suite.apiVersion).startsWith('test.gatekeeper.sh/')) throw new Error('expected kind Suite with apiVersion test.gatekeeper.sh/v1alpha1');
      const tests = (suite.tests ?? [])
        .map((test, i) => ({ test, i }))
        .filter(({ test, i }) => !filter || (test.cases ?? []).some((c, j) => filter(`${test.name ?? `tests[${i}]`}/${c.name ?? `cases[${j}]`}`)) || filter(test.name ?? ''))
        .map(({ test, i }) => runTest(dirname(file), test, i, filter));
      suites.push({ path, passed: tests.every((t) => t.passed), tests, durationMs: performance.now() - started });
    } catch (error) {
      suites.push({ path, passed: false, error: (error as Error).message, tests: [], durationMs: performance.now() - started });
    }
  }
  const allCases = suites.flatMap((s) => s.tests.flatMap((t) => t.cases));
  const allTests = suites.flatMap((s) => s.tests);
  return {
    root,
    passed: suites.every((s) => s.passed),
    suites,
    counts: {
      suites: suites.length,
      tests: allTests.length,
      cases: allCases.length,
      failed: allCases.filter((c) => !c.passed).length + allTests.filter((t) => !t.passed && t.cases.length === 0).length + suites.filter((s) => s.error).length,
      skipped: allCases.filter((c) => c.skipped).length + allTests.filter((t) => t.skipped).length,
    },
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

/** gator verify's `go test`-like text: failures in detail, one ok/FAIL line per suite, then PASS or FAIL. */
export function formatSuiteResults(result: SuiteRunResult, options: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  for (const suite of result.suites) {
    if (suite.error) lines.push(`--- FAIL: ${suite.path}`, `    ${suite.error}`);
    for (const test of suite.tests) {
      if (options.verbose || !test.passed || test.cases.some((c) => c.note)) lines.push(`    --- ${test.skipped ? 'SKIP' : test.passed ? 'PASS' : 'FAIL'}: ${test.name}\t(${seconds(test.durationMs)})`);
      if (test.error) lines.push(...test.error.split('\n').map((l) => `        ${l}`));
      for (const c of test.cases) {
        if (!options.verbose && c.passed && !c.note) continue;
        lines.push(`        --- ${c.skipped ? 'SKIP' : c.passed ? 'PASS' : 'FAIL'}: ${c.name}\t(${seconds(c.durationMs)})${c.note ? `\t${c.note}` : ''}`);
        if (c.error) lines.push(...c.error.split('\n').map((l) => `            ${l}`));
      }
    }
    lines.push(`${suite.passed ? 'ok' : 'FAIL'}\t${suite.path}\t${seconds(suite.durationMs)}`);
  }
  const { suites, tests, cases, failed, skipped } = result.counts;
  lines.push(`${result.passed ? 'PASS' : 'FAIL'} (${suites} suite${suites === 1 ? '' : 's'}, ${tests} test${tests === 1 ? '' : 's'}, ${cases} case${cases === 1 ? '' : 's'}, ${failed} failed, ${skipped} skipped)`);
  return lines.join('\n') + '\n';
}
