import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_SHELL,
  classify,
  copyWorkspace,
  git,
  linesOf,
  packageJson,
  projectGraph,
  repoRoot,
  run,
  shouldRun,
  targetCommands,
  testAllSteps,
  words,
  workflow,
  workflows,
} from './testing';

// The CI workflows cannot run here, so this test keeps them honest: every `run:` line must be an
// npm script, an Nx target or a flotilla command that exists, and that the local suite runs too (or
// one of the pinned AWS CLI calls, only where the CI role was assumed); the pull-request workflow's
// steps are then executed on a simulated pull request (the image-build, promotion and artifacts
// workflows' in workflows-release.test.ts).

/** Workflows whose flotilla steps the tests run on a workspace copy. */
const SIMULATED = ['pull-request.yml', 'image-build.yml', 'promotion.yml', 'artifacts.yml'];

describe('GitHub workflows', () => {
  const lines = workflows.flatMap((workflow) => workflow.steps.flatMap((step) => linesOf(step).map((line) => ({ workflow: workflow.file, step, line }))));

  it('exist for pull requests, main, Lambda artifacts, image builds and promotions, with the Nx daemon off', () => {
    expect(workflows.map((workflow) => workflow.file)).toEqual(['artifacts.yml', 'image-build.yml', 'main.yml', 'promotion.yml', 'pull-request.yml']);
    for (const workflow of workflows) expect(workflow.env.NX_DAEMON, workflow.file).toBe('false');
    // The two that compare revisions: full history, and the base from nx-set-shas.
    for (const file of ['main.yml', 'pull-request.yml']) {
      const { steps } = workflow(file);
      expect(steps.find((step) => step.uses?.startsWith('actions/checkout@')), file).toMatchObject({ with: { 'fetch-depth': 0 } });
      expect(steps.some((step) => step.uses?.startsWith('nrwl/nx-set-shas@')), file).toBe(true);
    }
  });

  it('run AWS CLI calls only in jobs that exchanged an OIDC token for the role flotilla ci-settings names', () => {
    const problems: string[] = [];
    for (const wf of workflows) {
      for (const job of wf.jobs) {
        const cloud = job.steps.findIndex((step) => linesOf(step).some((line) => classify(line).kind === 'cloud'));
        if (cloud < 0) continue;
        const assume = job.steps.findIndex((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
        if (job.permissions?.['id-token'] !== 'write') problems.push(`${wf.file} job ${job.id}: AWS calls without 'permissions: id-token: write'`);
        if (assume < 0 || assume > cloud) problems.push(`${wf.file} job ${job.id}: AWS calls before aws-actions/configure-aws-credentials`);
        else if (!/^\$\{\{ (needs\.[\w-]+\.outputs|matrix)\.role \}\}$/.test(String(job.steps[assume]!.with?.['role-to-assume']))) {
          problems.push(`${wf.file} job ${job.id}: role-to-assume must be the role flotilla ci-settings prints, got '${String(job.steps[assume]!.with?.['role-to-assume'])}'`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('post as the pull-request comment the file the diff step writes, and run the guard after it', () => {
    const steps = workflow('pull-request.yml').steps;
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
    const steps = workflow('pull-request.yml').steps;
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

  it('run only npm scripts, Nx targets and flotilla commands that exist, plus a tiny allowed shell set and the pinned AWS calls', () => {
    expect(lines.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const { workflow, line } of lines) {
      const command = classify(line);
      const where = `${workflow}: '${line}'`;
      if (command.kind === 'npm-script' && !packageJson.scripts[command.script]) problems.push(`${where}: no npm script '${command.script}' in package.json`);
      if (command.kind === 'nx') {
        for (const target of command.targets) if (targetCommands(target).size === 0) problems.push(`${where}: no project has a '${target}' target`);
        // run-many runs every project; only affected compares revisions.
        if (command.subcommand === 'affected' && (!command.args.includes('--base=$NX_BASE') || !command.args.includes('--head=$NX_HEAD'))) {
          problems.push(`${where}: compare with the SHAs nx-set-shas derives (--base=$NX_BASE --head=$NX_HEAD)`);
        }
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

  it('run only what the local suite runs too: npm test steps, or the workflow runs on workspace copies', () => {
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
            // A tsx script is exercised when the test next to it (which npm test's vitest runs) imports it, e.g.
            // apps/<lambda>/tools/bundle.ts and bundle.test.ts: the same build, the committed record compared.
            const script = argv[0] === 'tsx' && argv.length === 2 && /\.ts$/.test(argv[1]!) ? argv[1]! : undefined;
            const testFile = script ? join(repoRoot, script.replace(/\.ts$/, '.test.ts')) : undefined;
            const basename = script?.split('/').at(-1)!.replace(/\.ts$/, '');
            if (testFile && existsSync(testFile) && new RegExp(`from '\\./${basename}'`).test(readFileSync(testFile, 'utf8'))) continue;
            if (!suiteRuns(stem)) problems.add(`${project}:${target} runs '${targetCommand}'; npm test never runs '${stem.join(' ')}'`);
            // The affected typecheck fails on a project whose tsconfig is missing, so check it here.
            const tsconfig = /-p (\S+)/.exec(targetCommand)?.[1];
            if (stem.some((word) => /(^|\/)tsc$/.test(word)) && !(tsconfig && existsSync(join(repoRoot, tsconfig)))) problems.add(`${project}:${target} runs '${targetCommand}', but ${tsconfig} does not exist`);
          }
        }
      }
      // The flotilla commands of these run in the simulations (below, and workflows-release.test.ts).
      if (command.kind === 'flotilla' && !SIMULATED.includes(workflow) && !suiteRuns(['node', 'apps/fleet/bin/flotilla.js', ...command.command.split(' ')])) {
        problems.add(`${where}: npm test does not run 'flotilla ${command.command}'`);
      }
    }
    expect([...problems]).toEqual([]);
  });

  describe('pull-request.yml on a simulated pull request', () => {
    // Not run here: `npm ci` (node_modules is linked into the copy) and the affected tests (that is
    // vitest, which runs this very test; npm test runs every test anyway).
    const skipped = (line: string) => line === 'npm ci --no-audit --no-fund' || /^npx nx affected -t test /.test(line);
    const pullRequest = workflow('pull-request.yml');

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
