// What the workflow tests share: the workflows of .github/workflows/ parsed by job, what each `run:` line is, and a
// small runner that executes a job's run steps on a workspace copy the way GitHub Actions would.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { projectGraph } from './project-graph';
import { repoRoot, run } from './workspace-copy';

export interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

export interface Job {
  readonly id: string;
  readonly if?: string;
  readonly needs?: string | string[];
  readonly 'runs-on'?: string;
  readonly environment?: string;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly strategy?: { matrix?: Record<string, unknown> };
  readonly steps: readonly Step[];
}

export interface Workflow {
  readonly file: string;
  /** The parsed document (`on:`, inputs and all). */
  readonly document: Record<string, unknown>;
  /** The workflow-level `env:`. */
  readonly env: Record<string, string>;
  readonly jobs: readonly Job[];
  /** Every job's steps in file order; a job's `if:` joins each of its steps'. */
  readonly steps: readonly Step[];
}

/** An `if:` without its optional `${{ }}`. */
export const unwrap = (condition: string) => condition.trim().replace(/^\$\{\{|\}\}$/g, '').trim();

export const workflowDir = join(repoRoot, '.github/workflows');
export const workflows: Workflow[] = readdirSync(workflowDir)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort()
  .map((file) => {
    const document = parse(readFileSync(join(workflowDir, file), 'utf8')) as { env?: Record<string, string>; jobs: Record<string, Omit<Job, 'id'>> };
    const jobs = Object.entries(document.jobs).map(([id, job]) => ({ ...job, id }));
    const steps = jobs.flatMap((job) => job.steps.map((step) => (job.if ? { ...step, if: [job.if, step.if].filter(Boolean).map((condition) => unwrap(condition!)).join(' && ') } : step)));
    return { file, document: document as unknown as Record<string, unknown>, env: document.env ?? {}, jobs, steps };
  });

export const workflow = (file: string): Workflow => {
  const found = workflows.find((candidate) => candidate.file === file);
  if (!found) throw new Error(`.github/workflows/${file} does not exist`);
  return found;
};

export const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

export function linesOf(step: Step): string[] {
  return (step.run ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

/**
 * The only plain shell lines the workflows may run besides npm, nx and flotilla: the drift checks (intent-to-add, so
 * files a render adds count as changes; the Lambda artifact records a rebuild must leave unchanged) and the error
 * annotation explaining a drift.
 */
export const ALLOWED_SHELL = [
  /^git add --intent-to-add -- clusters$/,
  /^git diff --exit-code --stat -- clusters$/,
  /^git diff --exit-code --stat -- 'libs\/\*\/artifact\.json'$/,
  /^echo "::error title=[^"$`]*"$/,
];

/**
 * AWS CLI calls that cannot run without the account: the Lambda artifact upload, its AWS Signer signing job, the
 * download of the signed copy, and the creation of an AppConfig profile schema secret.
 * Each is pinned to its exact shape (the variables come from `flotilla ci-settings artifacts`, which the tests
 * run), and may appear only in a job that exchanged an OIDC token for the CI role (checked by the tests).
 */
export const CLOUD_LINES: readonly RegExp[] = [
  /^VERSION=\$\(aws s3api put-object --bucket "\$BUCKET" --key "\$KEY" --body "\$ZIP" --checksum-algorithm SHA256 --query VersionId --output text\)$/,
  /^JOB=\$\(aws signer start-signing-job --profile-name "\$PROFILE" --source "s3=\{bucketName=\$BUCKET,key=\$KEY,version=\$VERSION\}" --destination "s3=\{bucketName=\$BUCKET,prefix=signing-jobs\/\}" --query jobId --output text\)$/,
  /^aws signer wait successful-signing-job --job-id "\$JOB"$/,
  /^SIGNED=\$\(aws signer describe-signing-job --job-id "\$JOB" --query signedObject\.s3\.key --output text\)$/,
  /^aws s3api copy-object --bucket "\$BUCKET" --key "\$SIGNED_KEY" --copy-source "\$BUCKET\/\$SIGNED"$/,
  // The signed copy, for `flotilla signed-artifacts` (s3 cp creates the <cluster>/ folder; s3api get-object does not).
  /^aws s3 cp "s3:\/\/\$BUCKET\/\$SIGNED_KEY" "\$SIGNED_FILE"$/,
  // An AppConfig profile schema (`flotilla ci-settings appconfig-schemas`): content-addressed name, token = its SHA-256.
  /^aws secretsmanager create-secret --name "\$NAME" --client-request-token "\$TOKEN" --secret-string "\$SCHEMA" --tags "\$TAG"$/,
];

/** What one `run:` line is. */
export type Command =
  | { kind: 'install' }
  | { kind: 'npm-script'; script: string; args: string[] }
  | { kind: 'nx'; subcommand: string; targets: string[]; args: string[] }
  | { kind: 'flotilla'; command: string; args: string[] }
  | { kind: 'cloud'; line: string }
  | { kind: 'shell'; line: string };

/** Splits a shell line into words; refuses pipes, lists, substitutions and redirections. */
export function words(line: string): string[] {
  if (/\$\{\{|\$\(|`|[|;&<>]/.test(line.replace(/"[^"]*"/g, '""'))) {
    throw new Error(`'${line}': keep workflow run lines to one plain command (no pipes, lists, substitutions, redirections or \${{ }} expressions)`);
  }
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

export function classify(line: string): Command {
  if (CLOUD_LINES.some((pattern) => pattern.test(line))) return { kind: 'cloud', line };
  const argv = words(line);
  const [tool, ...rest] = argv;
  if (line === 'npm ci --no-audit --no-fund') return { kind: 'install' };
  if (tool === 'npm' && rest[0] === 'test') return { kind: 'npm-script', script: 'test', args: rest.slice(1) };
  if (tool === 'npm' && rest[0] === 'run' && rest[1]) return { kind: 'npm-script', script: rest[1], args: rest.slice(2) };
  if (tool === 'npx' && rest[0] === 'nx' && (rest[1] === 'affected' || rest[1] === 'run-many')) {
    const flag = rest.indexOf('-t') >= 0 ? rest.indexOf('-t') : rest.indexOf('--targets');
    if (flag < 0 || !rest[flag + 1]) throw new Error(`'${line}': name the targets with -t <target>[,<target>]`);
    return { kind: 'nx', subcommand: rest[1], targets: rest[flag + 1]!.split(','), args: rest.slice(2) };
  }
  if (tool === 'npx' && rest[0] === 'flotilla') {
    const command = flotillaCommands().find((name) => name.split(' ').every((word, index) => rest[1 + index] === word));
    if (!command) throw new Error(`'${line}': 'flotilla ${rest[1]}' is not a command 'flotilla --help' lists (${flotillaCommands().join(', ')})`);
    return { kind: 'flotilla', command, args: rest.slice(1 + command.split(' ').length) };
  }
  return { kind: 'shell', line };
}

let cachedCommands: string[] | undefined;
/** The commands `flotilla --help` lists (the CLI is the source of truth, not a copy of the list). */
export function flotillaCommands(): string[] {
  if (!cachedCommands) {
    const help = run(repoRoot, 'node', ['apps/fleet/bin/flotilla.js', '--help']);
    if (help.code !== 0) throw new Error(`flotilla --help failed: ${help.stderr}`);
    const section = help.stdout.split('Commands:\n')[1]?.split('\n\n')[0] ?? '';
    cachedCommands = section
      .split('\n')
      .map((line) => /^ {2}(\S+(?: \S+)?) {2,}/.exec(line)?.[1] ?? /^ {2}(\S+) /.exec(line)?.[1])
      .filter((name): name is string => !!name)
      .sort((a, b) => b.split(' ').length - a.split(' ').length);
  }
  return cachedCommands;
}

/** `[name, command, args]` of every step of apps/fleet/scripts/test-all.mjs (`npm test`), read from its source. */
export function testAllSteps(): { name: string; argv: string[] }[] {
  const file = join(repoRoot, 'apps/fleet/scripts/test-all.mjs');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const declaration = source.statements
    .filter(ts.isVariableStatement)
    .flatMap((statement) => [...statement.declarationList.declarations])
    .find((d) => ts.isIdentifier(d.name) && d.name.text === 'steps');
  if (!declaration?.initializer || !ts.isArrayLiteralExpression(declaration.initializer)) throw new Error('apps/fleet/scripts/test-all.mjs: expected `const steps = [[name, command, [args]], …]`');
  const text = (node: ts.Node): string => (ts.isStringLiteralLike(node) ? node.text : `<${node.getText(source)}>`);
  return declaration.initializer.elements.map((element) => {
    if (!ts.isArrayLiteralExpression(element)) throw new Error('apps/fleet/scripts/test-all.mjs: every step is [name, command, [args]]');
    const [name, command, args] = element.elements;
    return { name: text(name!), argv: [text(command!), ...(args && ts.isArrayLiteralExpression(args) ? args.elements.map(text) : [])] };
  });
}

/** The command an Nx target runs for each project that has it, as Nx resolves it (project.json over nx.json targetDefaults). */
export function targetCommands(target: string): Map<string, string> {
  const commands = new Map<string, string>();
  for (const [project, node] of Object.entries(projectGraph())) {
    const definition = node.targets?.[target];
    if (!definition) continue;
    const command = definition.options?.command;
    if (!command) throw new Error(`${project}:${target} has no single 'command'; this test reads run-commands targets only`);
    commands.set(project, command);
  }
  return commands;
}

/** What a job's `${{ }}` expressions read: dispatch inputs, earlier jobs' outputs, the matrix entry, run facts. */
export interface RunContext {
  readonly inputs?: Record<string, string>;
  readonly needs?: Record<string, Record<string, string>>;
  readonly matrix?: Record<string, string>;
  readonly github?: Record<string, string>;
}

/** The value of one context path (`inputs.unit`, `needs.settings.outputs.role`, `matrix.key`, `steps.x.outputs.y`). */
function lookup(path: string, context: RunContext, stepOutputs: Map<string, Map<string, string>>): string {
  const [root, ...rest] = path.split('.');
  const missing = () => {
    throw new Error(`the expression '${path}' reads nothing the simulation provides; give it in the RunContext`);
  };
  if (root === 'inputs') return context.inputs?.[rest.join('.')] ?? missing();
  if (root === 'matrix') return context.matrix?.[rest.join('.')] ?? missing();
  if (root === 'github') return context.github?.[rest.join('.')] ?? missing();
  if (root === 'needs' && rest[1] === 'outputs') return context.needs?.[rest[0]!]?.[rest.slice(2).join('.')] ?? missing();
  if (root === 'steps' && rest[1] === 'outputs') return stepOutputs.get(rest[0]!)?.get(rest.slice(2).join('.')) ?? '';
  return missing();
}

/** Replaces every `${{ <context path> }}` of a value; other expressions are refused. */
export function substitute(value: string, context: RunContext, stepOutputs = new Map<string, Map<string, string>>()): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    if (!/^[A-Za-z_][\w.-]*$/.test(expression)) throw new Error(`'${expression}': only context paths are substituted here; evaluate it in the test`);
    return lookup(expression, context, stepOutputs);
  });
}

/**
 * Whether Actions would run a step: its `if:` is a conjunction of `success()`, `failure()`, `always()`,
 * `!cancelled()`, `steps.<id>.outcome == '<outcome>'` (or `!=`), `needs.<job>.outputs.<name>` or `inputs.<name>`
 * compared with a string, and `github.…` facts of the event (taken as true); without a status function the implicit
 * one is `success()`.
 */
export function shouldRun(condition: string | undefined, failed: boolean, outcomes: Map<string, string>, outputs: Map<string, string>, context: RunContext = {}): boolean {
  const clauses = unwrap(condition ?? '').split('&&').map((clause) => clause.trim()).filter(Boolean);
  let status = !failed;
  for (const clause of clauses) {
    const outcome = /^steps\.([\w-]+)\.outcome (==|!=) '(\w+)'$/.exec(clause);
    // A job output is what an earlier step wrote to $GITHUB_OUTPUT under that name.
    const output = /^needs\.[\w-]+\.outputs\.([\w-]+) (==|!=) '([^']*)'$/.exec(clause);
    const input = /^inputs\.([\w-]+) (==|!=) '([^']*)'$/.exec(clause);
    if (output) {
      if (((outputs.get(output[1]!) ?? '') === output[3]) !== (output[2] === '==')) return false;
      continue;
    }
    if (input) {
      const value = context.inputs?.[input[1]!];
      if (value === undefined) throw new Error(`if: '${clause}' reads input '${input[1]}', which the simulation does not give`);
      if ((value === input[3]) !== (input[2] === '==')) return false;
      continue;
    }
    if (clause === 'failure()') status = failed;
    else if (clause === 'always()' || clause === '!cancelled()') status = true;
    else if (clause === 'success()') status = !failed;
    else if (outcome) {
      if (((outcomes.get(outcome[1]!) ?? 'skipped') === outcome[3]) !== (outcome[2] === '==')) return false;
    } else if (!clause.startsWith('github.')) throw new Error(`unsupported if: clause '${clause}'; extend shouldRun() in testing/workflow-lines.ts`);
  }
  return status;
}

export interface StepRun {
  readonly step: string;
  readonly code: number;
  readonly output: string;
}

/**
 * Runs one job's run steps in order on `ws` like Actions would (`uses:` steps are skipped, and so are `npm ci`, whose
 * node_modules the copy links, the lines `skipped` names and the AWS CLI lines, which need the account); returns the
 * steps that ran and the job's outputs.
 */
export function runJob(ws: string, wf: Workflow, jobId: string, context: RunContext, skipped: (line: string) => boolean = () => false): { ran: StepRun[]; failed: boolean; outputs: Record<string, string> } {
  const job = wf.jobs.find((candidate) => candidate.id === jobId);
  if (!job) throw new Error(`${wf.file} has no job '${jobId}'`);
  const skip = (line: string) => line === 'npm ci --no-audit --no-fund' || classify(line).kind === 'cloud' || skipped(line);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...wf.env, ...job.env })) env[name] = substitute(String(value), context);
  const ran: StepRun[] = [];
  const outcomes = new Map<string, string>();
  const outputs = new Map<string, string>();
  const stepOutputs = new Map<string, Map<string, string>>();
  const outputFile = join(mkdtempSync(join(tmpdir(), 'flotilla-gh-output-')), 'output');
  let failed = false;
  for (const step of job.steps) {
    if (!step.run || linesOf(step).every(skip)) continue;
    const condition = [job.if, step.if].filter(Boolean).map((c) => unwrap(c!)).join(' && ');
    if (!shouldRun(condition, failed, outcomes, outputs, context)) {
      if (step.id) outcomes.set(step.id, 'skipped');
      continue;
    }
    const script = linesOf(step).filter((line) => !skip(line)).join('\n');
    writeFileSync(outputFile, '');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, substitute(String(value), context, stepOutputs)]));
    const result = run(ws, 'bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { ...env, ...stepEnv, GITHUB_OUTPUT: outputFile, ...(context.github?.run_id ? { GITHUB_RUN_ID: context.github.run_id } : {}), ...(context.github?.run_attempt ? { GITHUB_RUN_ATTEMPT: context.github.run_attempt } : {}) });
    const written = new Map<string, string>();
    for (const line of readFileSync(outputFile, 'utf8').split('\n').filter(Boolean)) written.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
    for (const [name, value] of written) outputs.set(name, value);
    if (step.id) stepOutputs.set(step.id, written);
    ran.push({ step: step.id ?? step.name ?? script, code: result.code, output: result.stdout + result.stderr });
    if (step.id) outcomes.set(step.id, result.code === 0 ? 'success' : 'failure');
    if (result.code !== 0) failed = true;
  }
  const jobOutputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(job.outputs ?? {})) {
    // Outputs that read only this job's steps; the others (e.g. a pushed digest) need the cloud and stay out.
    if (/^\$\{\{\s*steps\./.test(value)) jobOutputs[name] = substitute(value, context, stepOutputs);
  }
  return { ran, failed, outputs: jobOutputs };
}
