import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { copyWorkspace, git, projectGraph, repoRoot, run } from './testing';

// The CI workflows cannot run here, so this test keeps them honest: every `run:` line must be an
// npm script, an Nx target or a flotilla command that exists, and that the local suite runs too;
// the pull-request workflow's steps are then executed on a simulated pull request.

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}

interface Workflow {
  readonly file: string;
  /** The workflow-level `env:`. */
  readonly env: Record<string, string>;
  readonly steps: readonly Step[];
}

/** An `if:` without its optional `${{ }}`. */
const unwrap = (condition: string) => condition.trim().replace(/^\$\{\{|\}\}$/g, '').trim();

/** What one `run:` line is. */
type Command =
  | { kind: 'install' }
  | { kind: 'npm-script'; script: string; args: string[] }
  | { kind: 'nx'; targets: string[]; args: string[] }
  | { kind: 'flotilla'; command: string; args: string[] }
  | { kind: 'shell'; line: string };

/**
 * The only plain shell lines the workflows may run besides npm, nx and flotilla: the drift check
 * (intent-to-add, so files a render adds count as changes) and the error annotation explaining it.
 */
const ALLOWED_SHELL = [/^git add --intent-to-add -- clusters$/, /^git diff --exit-code --stat -- clusters$/, /^echo "::error title=[^"$`]*"$/];

const workflowDir = join(repoRoot, '.github/workflows');
const workflows: Workflow[] = readdirSync(workflowDir)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort()
  .map((file) => {
    const document = parse(readFileSync(join(workflowDir, file), 'utf8')) as { env?: Record<string, string>; jobs: Record<string, { if?: string; steps: Step[] }> };
    // Jobs run in file order here; a job's `if:` joins each of its steps' (what the simulation below evaluates).
    const steps = Object.values(document.jobs).flatMap((job) => job.steps.map((step) => (job.if ? { ...step, if: [job.if, step.if].filter(Boolean).map((condition) => unwrap(condition!)).join(' && ') } : step)));
    return { file, env: document.env ?? {}, steps };
  });

const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

function linesOf(step: Step): string[] {
  return (step.run ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

/** Splits a shell line into words; refuses pipes, lists, substitutions and redirections. */
function words(line: string): string[] {
  if (/\$\{\{|\$\(|`|[|;&<>]/.test(line.replace(/"[^"]*"/g, '""'))) {
    throw new Error(`'${line}': keep workflow run lines to one plain command (no pipes, lists, substitutions, redirections or \${{ }} expressions)`);
  }
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
}

function classify(line: string): Command {
  const argv = words(line);
  const [tool, ...rest] = argv;
  if (line === 'npm ci --no-audit --no-fund') return { kind: 'install' };
  if (tool === 'npm' && rest[0] === 'test') return { kind: 'npm-script', script: 'test', args: rest.slice(1) };
  if (tool === 'npm' && rest[0] === 'run' && rest[1]) return { kind: 'npm-script', script: rest[1], args: rest.slice(2) };
  if (tool === 'npx' && rest[0] === 'nx' && (rest[1] === 'affected' || rest[1] === 'run-many')) {
    const flag = rest.indexOf('-t') >= 0 ? rest.indexOf('-t') : rest.indexOf('--targets');
    if (flag < 0 || !rest[flag + 1]) throw new Error(`'${line}': name the targets with -t <target>[,<target>]`);
    return { kind: 'nx', targets: rest[flag + 1]!.split(','), args: rest.slice(2) };
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
function flotillaCommands(): string[] {
  if (!cachedCommands) {
    const help = run(repoRoot, 'node', ['apps/fleet/bin/flotilla.js', '--help']);
    expect(help.code, help.stderr).toBe(0);
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
function testAllSteps(): { name: string; argv: string[] }[] {
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
function targetCommands(target: string): Map<string, string> {
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

describe('GitHub workflows', () => {
  const lines = workflows.flatMap((workflow) => workflow.steps.flatMap((step) => linesOf(step).map((line) => ({ workflow: workflow.file, step, line }))));

  it('exist for pull requests and for main, with the Nx daemon off', () => {
    expect(workflows.map((workflow) => workflow.file)).toEqual(['main.yml', 'pull-request.yml']);
    for (const workflow of workflows) {
      const document = parse(readFileSync(join(workflowDir, workflow.file), 'utf8')) as { env?: Record<string, string> };
      expect(document.env?.NX_DAEMON, workflow.file).toBe('false');
      expect(workflow.steps.find((step) => step.uses?.startsWith('actions/checkout@')), workflow.file).toMatchObject({ with: { 'fetch-depth': 0 } });
      expect(workflow.steps.some((step) => step.uses?.startsWith('nrwl/nx-set-shas@')), workflow.file).toBe(true);
    }
  });

  it('post as the pull-request comment the file the diff step writes, and run the guard after it', () => {
    const steps = workflows.find((workflow) => workflow.file === 'pull-request.yml')!.steps;
    const diff = steps.findIndex((step) => /^npx flotilla diff /.test(step.run ?? ''));
    const comment = steps.findIndex((step) => step.uses?.startsWith('marocchino/sticky-pull-request-comment@'));
    const guard = steps.findIndex((step) => /^npx flotilla guard /.test(step.run ?? ''));
    expect([diff, comment, guard].every((index) => index >= 0)).toBe(true);
    const output = words(steps[diff]!.run!.trim())[words(steps[diff]!.run!.trim()).indexOf('--output') + 1];
    expect(steps[comment]!.with?.path).toBe(output);
    expect(steps[diff]!.run).toMatch(/--format markdown/);
    // the comment shows destructive changes too; the guard step is what fails the check
    expect(steps[diff]!.run).toMatch(/--no-guard/);
    expect(diff < comment && comment < guard).toBe(true);
  });

  it('upload to code scanning the SARIF file the policy export writes, after validate wrote the reports', () => {
    const steps = workflows.find((workflow) => workflow.file === 'pull-request.yml')!.steps;
    const validate = steps.findIndex((step) => /^npx flotilla validate /.test(step.run ?? ''));
    const sarif = steps.findIndex((step) => /^npx flotilla policy report --format sarif /.test(step.run ?? ''));
    const upload = steps.findIndex((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect([validate, sarif, upload].every((index) => index >= 0)).toBe(true);
    expect(validate < sarif && sarif < upload).toBe(true);
    const argv = words(steps[sarif]!.run!.trim());
    expect(steps[upload]!.with?.sarif_file).toBe(argv[argv.indexOf('--output') + 1]);
    // A failed validate (a denied object) is when the results matter most.
    expect(steps[sarif]!.if).toContain(`steps.${steps[validate]!.id}.outcome != 'skipped'`);
  });

  it('run only npm scripts, Nx targets and flotilla commands that exist, plus a tiny allowed shell set', () => {
    expect(lines.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const { workflow, line } of lines) {
      const command = classify(line);
      const where = `${workflow}: '${line}'`;
      if (command.kind === 'npm-script' && !packageJson.scripts[command.script]) problems.push(`${where}: no npm script '${command.script}' in package.json`);
      if (command.kind === 'nx') {
        for (const target of command.targets) if (targetCommands(target).size === 0) problems.push(`${where}: no project has a '${target}' target`);
        if (!command.args.includes('--base=$NX_BASE') || !command.args.includes('--head=$NX_HEAD')) problems.push(`${where}: compare with the SHAs nx-set-shas derives (--base=$NX_BASE --head=$NX_HEAD)`);
      }
      if (command.kind === 'flotilla') {
        const help = run(repoRoot, 'node', ['apps/fleet/bin/flotilla.js', ...command.command.split(' '), '--help']);
        for (const flag of command.args.filter((arg) => arg.startsWith('--'))) {
          if (help.code !== 0 || !help.stdout.includes(flag)) problems.push(`${where}: 'flotilla ${command.command} --help' does not document ${flag}`);
        }
      }
      if (command.kind === 'shell' && !ALLOWED_SHELL.some((pattern) => pattern.test(line))) problems.push(`${where}: not an npm script, Nx target or flotilla command, and not in ALLOWED_SHELL`);
    }
    expect(problems).toEqual([]);
  });

  it('run only what the local suite runs too: npm test steps, or the workflow run below', () => {
    // Node's own flags (the V8 heap setting npm scripts pass) do not change which command runs.
    const plainNode = (argv: readonly string[]) => (argv[0] === 'node' ? argv.filter((word, index) => index === 0 || !/^--max-semi-space-size=/.test(word)) : argv);
    const suite = testAllSteps().map((step) => ({ ...step, argv: plainNode(step.argv) }));
    const suiteRuns = (argv: readonly string[]) => suite.some((step) => plainNode(argv).every((word, index) => step.argv[index] === word));
    const problems = new Set<string>();
    for (const { workflow, line } of lines) {
      const command = classify(line);
      const where = `${workflow}: '${line}'`;
      // A script is exercised when npm test runs the same command line (npm test is the suite itself).
      if (command.kind === 'npm-script' && command.script !== 'test' && !suiteRuns(words(packageJson.scripts[command.script] ?? ''))) {
        problems.add(`${where}: npm test does not run '${packageJson.scripts[command.script]}'`);
      }
      if (command.kind === 'nx') {
        for (const target of command.targets) {
          // Per project, a target runs the same tool (and sub-command) that npm test runs over the
          // whole workspace: its words up to the first option or project-specific argument.
          for (const [project, targetCommand] of targetCommands(target)) {
            const root = projectGraph()[project]!.root;
            const argv = words(targetCommand);
            const end = argv.findIndex((word) => word.startsWith('-') || word === project || word.startsWith(`${root}/`) || word === root);
            const stem = end < 0 ? argv : argv.slice(0, end);
            if (!suiteRuns(stem)) problems.add(`${project}:${target} runs '${targetCommand}'; npm test never runs '${stem.join(' ')}'`);
            // The affected typecheck fails on a project whose tsconfig is missing, so check it here.
            const tsconfig = /-p (\S+)/.exec(targetCommand)?.[1];
            if (stem.some((word) => /(^|\/)tsc$/.test(word)) && !(tsconfig && existsSync(join(repoRoot, tsconfig)))) problems.add(`${project}:${target} runs '${targetCommand}', but ${tsconfig} does not exist`);
          }
        }
      }
      // pull-request.yml's flotilla commands run in the simulated pull request below.
      if (command.kind === 'flotilla' && workflow !== 'pull-request.yml' && !suiteRuns(['node', 'apps/fleet/bin/flotilla.js', ...command.command.split(' ')])) {
        problems.add(`${where}: npm test does not run 'flotilla ${command.command}'`);
      }
    }
    expect([...problems]).toEqual([]);
  });

  describe('pull-request.yml on a simulated pull request', () => {
    // Not run here: `npm ci` (node_modules is linked into the copy) and the affected tests (that is
    // vitest, which runs this very test; npm test runs every test anyway).
    const skipped = (line: string) => line === 'npm ci --no-audit --no-fund' || /^npx nx affected -t test /.test(line);
    const pullRequest = workflows.find((workflow) => workflow.file === 'pull-request.yml')!;

    /**
     * Whether Actions would run a step: its `if:` is a conjunction of `success()`, `failure()`,
     * `always()`, `!cancelled()`, `steps.<id>.outcome == '<outcome>'` (or `!=`) and `github.…` facts of the
     * event (taken as true); without a status function the implicit one is `success()`.
     */
    function shouldRun(condition: string | undefined, failed: boolean, outcomes: Map<string, string>, outputs: Map<string, string>): boolean {
      const clauses = unwrap(condition ?? '').split('&&').map((clause) => clause.trim()).filter(Boolean);
      let status = !failed;
      for (const clause of clauses) {
        const outcome = /^steps\.([\w-]+)\.outcome (==|!=) '(\w+)'$/.exec(clause);
        // A job output is what an earlier step wrote to $GITHUB_OUTPUT under that name.
        const output = /^needs\.[\w-]+\.outputs\.([\w-]+) (==|!=) '([^']*)'$/.exec(clause);
        if (output) {
          if (((outputs.get(output[1]!) ?? '') === output[3]) !== (output[2] === '==')) return false;
          continue;
        }
        if (clause === 'failure()') status = failed;
        else if (clause === 'always()' || clause === '!cancelled()') status = true;
        else if (clause === 'success()') status = !failed;
        else if (outcome) {
          if (((outcomes.get(outcome[1]!) ?? 'skipped') === outcome[3]) !== (outcome[2] === '==')) return false;
        } else if (!clause.startsWith('github.')) throw new Error(`unsupported if: clause '${clause}'; extend shouldRun() in this test`);
      }
      return status;
    }

    /** Runs the workflow's run steps in order like Actions would; `uses:` steps are skipped. */
    function runWorkflow(ws: string, base: string): { ran: { step: string; code: number; output: string }[]; failed: boolean } {
      const ran: { step: string; code: number; output: string }[] = [];
      const outcomes = new Map<string, string>();
      const outputs = new Map<string, string>();
      const outputFile = join(mkdtempSync(join(tmpdir(), 'flotilla-gh-output-')), 'output');
      let failed = false;
      for (const step of pullRequest.steps) {
        if (!step.run || linesOf(step).every(skipped)) continue;
        if (!shouldRun(step.if, failed, outcomes, outputs)) {
          if (step.id) outcomes.set(step.id, 'skipped');
          continue;
        }
        const script = linesOf(step).filter((line) => !skipped(line)).join('\n');
        writeFileSync(outputFile, '');
        const result = run(ws, 'bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { ...pullRequest.env, NX_BASE: base, NX_HEAD: 'HEAD', GITHUB_OUTPUT: outputFile });
        for (const line of readFileSync(outputFile, 'utf8').split('\n').filter(Boolean)) outputs.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
        ran.push({ step: step.id ?? step.name ?? script, code: result.code, output: result.stdout + result.stderr });
        if (step.id) outcomes.set(step.id, result.code === 0 ? 'success' : 'failure');
        if (result.code !== 0) failed = true;
      }
      return { ran, failed };
    }

    function pullRequestChangingTheApp(renderAndCommit: boolean): { ws: string; base: string } {
      const ws = copyWorkspace();
      const base = git(ws, 'rev-parse', 'HEAD').trim();
      git(ws, 'checkout', '-q', '-b', 'feature');
      // The app's dev autoscaling ceiling in the team catalog (its image is a release pin, too long for the comment to print).
      const app = join(ws, 'apps/fleet/src/lib/teams/team-a.ts');
      const source = readFileSync(app, 'utf8');
      const changed = source.replace('dev: {\n      web: { minReplicas: 1, maxReplicas: 2 }', 'dev: {\n      web: { minReplicas: 1, maxReplicas: 5 }');
      expect(changed, 'the app source changed shape; update this test').not.toBe(source);
      writeFileSync(app, changed);
      if (renderAndCommit) {
        const synth = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'synth']);
        expect(synth.code, synth.stderr).toBe(0);
      } else {
        // Forgot to render, and the app's rendered folder was never committed: new files must count too.
        rmSync(join(ws, 'clusters/dev/apps/team-a-web'), { recursive: true, force: true });
      }
      git(ws, 'add', '-A');
      git(ws, '-c', 'user.name=flotilla-test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'change the app image');
      return { ws, base };
    }

    it('passes every step and writes the diff comment for a rendered change', () => {
      const { ws, base } = pullRequestChangingTheApp(true);
      const { ran, failed } = runWorkflow(ws, base);
      expect(ran.filter((step) => step.code !== 0), JSON.stringify(ran, null, 2)).toEqual([]);
      expect(failed).toBe(false);
      expect(ran.map((step) => step.step)).toEqual(expect.arrayContaining(['shards', 'synth', 'drift', 'diff']));
      // team-a-web runs in dev, staging and prod: three clusters affected, one runner re-renders them (no synth-shard jobs).
      expect(ran.find((step) => step.step === 'shards')?.output).toMatch(/^3 of 3 cluster\(s\) affected \(dev, staging, prod\); one runner/m);
      expect(ran.some((step) => /--shard/.test(step.step))).toBe(false);
      expect(JSON.parse(readFileSync(join(ws, 'policy.sarif'), 'utf8'))).toMatchObject({ version: '2.1.0', runs: [{ tool: { driver: { name: 'flotilla-policy' } } }] });
      const comment = readFileSync(join(ws, 'diff.md'), 'utf8');
      expect(comment).toMatch(/team-a-web/);
      expect(comment).toMatch(/spec\.maxReplicas`: `2` → `5`/);
    }, 600_000);

    it('fails the drift check, and explains it, when the change was not rendered and committed', () => {
      const { ws, base } = pullRequestChangingTheApp(false);
      const { ran, failed } = runWorkflow(ws, base);
      expect(failed).toBe(true);
      const drift = ran.find((step) => step.step === 'drift');
      expect(drift?.code, JSON.stringify(ran, null, 2)).not.toBe(0);
      expect(drift?.output).toMatch(/clusters\/dev\/apps\/team-a-web\//);
      expect(ran.find((step) => step.step.startsWith('explain'))?.output).toMatch(/::error title=clusters\/ is out of date::.*run 'npm run synth'/);
      // After the failure only the explanation and the steps marked !cancelled() ran, like on Actions.
      const after = ran.map((step) => step.step).slice(ran.findIndex((step) => step.step === 'drift') + 1);
      expect(after).toEqual(['explain the drift', 'diff', 'destructive-change guard']);
    }, 600_000);
  });
});
