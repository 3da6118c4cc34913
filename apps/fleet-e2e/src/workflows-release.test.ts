import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { copyWorkspace, git, repoRoot, runJob, workflow, type RunContext } from './testing';

// The image-build, promotion and artifacts workflows on a workspace copy: their flotilla, Nx and drift-check
// steps run as Actions would run them; what needs AWS or a registry (build and push, Notation, the S3 upload and
// signing job) is done by pinned actions or the pinned AWS CLI lines, which cannot run here. The digest the push
// would report is given to the pin job as the build job's output.

const PINS = 'apps/fleet/src/lib/releases.ts';
const DIGEST = 'b'.repeat(64);
const IMAGE = `dj/http-echo:1.3.0@sha256:${DIGEST}`;
const GITHUB = { run_id: '4242', run_attempt: '2' };

function commitAt(ws: string, message: string, date: Date, amend = false): void {
  git(ws, 'add', '-A');
  const env = { ...process.env, GIT_AUTHOR_DATE: date.toISOString(), GIT_COMMITTER_DATE: date.toISOString() };
  execFileSync('git', ['-c', 'user.name=flotilla-test', '-c', 'user.email=test@example.com', 'commit', '-q', ...(amend ? ['--amend', '--no-edit'] : ['-m', message])], { cwd: ws, env });
}

const changedFiles = (ws: string) =>
  git(ws, 'status', '--porcelain', '--untracked-files=all')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));

/** Whether a create-pull-request `add-paths` list (file paths and `dir/**` globs) covers `file`. */
const covered = (addPaths: string, file: string) =>
  addPaths
    .split('\n')
    .map((path) => path.trim())
    .filter(Boolean)
    .some((path) => (path.endsWith('/**') ? file.startsWith(path.slice(0, -2)) : file === path));

/** The fleet's stages in promotion order, as apps/fleet/src/lib/fleet-defaults.ts declares them. */
function fleetStages(): string[] {
  const source = readFileSync(join(repoRoot, 'apps/fleet/src/lib/fleet-defaults.ts'), 'utf8');
  const list = /defineStages<[^>]*>\(\[([^\]]*)\]/.exec(source)?.[1];
  if (!list) throw new Error('apps/fleet/src/lib/fleet-defaults.ts: expected defineStages<…>([...]); update this test');
  return [...list.matchAll(/'([^']+)'/g)].map((match) => match[1]!);
}

describe('image-build.yml and promotion.yml on a workspace copy', { timeout: 900_000 }, () => {
  const imageBuild = workflow('image-build.yml');
  const promotion = workflow('promotion.yml');
  let ws: string;
  let settings: Record<string, string>;

  beforeAll(() => {
    ws = copyWorkspace();
    // The copy's history starts three days ago, so the pins it starts with have soaked that long.
    commitAt(ws, 'base', new Date(Date.now() - 3 * 86_400_000), true);
    const job = runJob(ws, imageBuild, 'settings', { github: GITHUB });
    expect(job.ran.filter((step) => step.code !== 0), JSON.stringify(job.ran, null, 2)).toEqual([]);
    settings = job.outputs;
  });

  it('takes runner, role, registry and signing profile from the fleet (dev: GitHub-hosted, its own account)', () => {
    expect(settings).toEqual({
      'runs-on': 'ubuntu-latest',
      stage: 'dev',
      region: 'eu-north-1',
      role: 'arn:aws:iam::111111111111:role/dev-github-ci',
      registry: '111111111111.dkr.ecr.eu-north-1.amazonaws.com',
      'signing-profile': 'arn:aws:signer:eu-north-1:111111111111:/signing-profiles/flotilla_images',
    });
    // The role ci-settings names is the one the ci-artifacts unit renders for that cluster.
    const role = parse(readFileSync(join(ws, 'clusters/dev/infra-configs/ci-artifacts/Role.iam.services.k8s.aws_ack-system_github-ci.yaml'), 'utf8')) as { spec: { name: string } };
    expect(settings.role).toBe(`arn:aws:iam::111111111111:role/${role.spec.name}`);
  });

  it('runs the build on an AWS CodeBuild-hosted runner when the fleet says so', () => {
    const ci = join(ws, 'apps/fleet/src/lib/ci.ts');
    const source = readFileSync(ci, 'utf8');
    const codebuild = source.replace("runner: CiRunner.githubHosted('ubuntu-latest')", "runner: CiRunner.codebuild('flotilla-image-build')");
    expect(codebuild, 'apps/fleet/src/lib/ci.ts changed shape; update this test').not.toBe(source);
    writeFileSync(ci, codebuild);
    try {
      const job = runJob(ws, imageBuild, 'settings', { github: GITHUB });
      expect(job.outputs['runs-on']).toBe('codebuild-flotilla-image-build-4242-2');
    } finally {
      writeFileSync(ci, source);
    }
    const build = imageBuild.jobs.find((job) => job.id === 'build')!;
    expect(build['runs-on']).toBe('${{ needs.settings.outputs.runs-on }}');
  });

  it('pushes through the OIDC role and signs the pushed digest with the flotilla_images profile through Notation', () => {
    const build = imageBuild.jobs.find((job) => job.id === 'build')!;
    expect(build.permissions).toMatchObject({ 'id-token': 'write' });
    const uses = (prefix: string) => build.steps.find((step) => step.uses?.startsWith(prefix));
    expect(uses('aws-actions/configure-aws-credentials@')?.with).toMatchObject({ 'role-to-assume': '${{ needs.settings.outputs.role }}', 'aws-region': '${{ needs.settings.outputs.region }}' });
    expect(uses('docker/build-push-action@')?.with).toMatchObject({ push: true });
    expect(uses('notaryproject/notation-action/sign@')?.with).toMatchObject({
      plugin_name: 'com.amazonaws.signer.notation.plugin',
      key_id: '${{ needs.settings.outputs.signing-profile }}',
      target_artifact_reference: '${{ needs.settings.outputs.registry }}/${{ inputs.repository }}@${{ steps.push.outputs.digest }}',
    });
    // What gets pinned is the pushed digest, in the cluster's own ECR (no registry host).
    expect(build.outputs?.image).toBe('${{ inputs.repository }}:${{ inputs.tag }}@${{ steps.push.outputs.digest }}');
  });

  it('pins the pushed image on dev with flotilla set-image, and the pull request carries every file it changed', () => {
    const inputs = { unit: 'dj-api', pin: 'v2', repository: 'dj/http-echo', context: 'apps/dj-api', tag: '1.3.0' };
    const context: RunContext = { inputs, github: GITHUB, needs: { settings, build: { image: IMAGE } } };
    const job = runJob(ws, imageBuild, 'pin', context);
    expect(job.ran.map((step) => [step.step, step.code]), JSON.stringify(job.ran, null, 2)).toEqual([['set the named pin', 0]]);
    expect(readFileSync(join(ws, PINS), 'utf8')).toContain(`v2: '${IMAGE}'`);
    const changed = changedFiles(ws);
    expect(changed).toContain(PINS);
    expect(changed.some((file) => file.startsWith('clusters/dev/apps/dj-api/'))).toBe(true);
    expect(changed.filter((file) => /^clusters\/(staging|prod)\//.test(file))).toEqual([]);
    const pr = imageBuild.jobs.find((candidate) => candidate.id === 'pin')!.steps.find((step) => step.uses?.startsWith('peter-evans/create-pull-request@'))!;
    expect(changed.filter((file) => !covered(String(pr.with?.['add-paths']), file))).toEqual([]);
    // The pull request merges: what the promotion below starts from (pinned just now, so it has not soaked).
    commitAt(ws, 'set-image dj-api on dev', new Date());
  });

  it('offers the fleet stages as promotion choices and binds a promotion towards prod to the prod environment', () => {
    const stages = fleetStages();
    const inputs = (promotion.document.on as { workflow_dispatch: { inputs: Record<string, { type: string; options?: string[] }> } }).workflow_dispatch.inputs;
    expect([inputs.from!.type, inputs.from!.options]).toEqual(['choice', stages.slice(0, -1)]);
    expect([inputs.to!.type, inputs.to!.options]).toEqual(['choice', stages.slice(1)]);
    const job = promotion.jobs.find((candidate) => candidate.id === 'promote')!;
    // prod: required reviewers of the environment approve the job (repository settings, README "CI workflows").
    expect(job.environment).toBe("${{ inputs.to == 'prod' && 'prod' || 'promotion' }}");
  });

  it('refuses a promotion whose pins have not soaked long enough', () => {
    const context: RunContext = { inputs: { unit: 'dj-api', from: 'dev', to: 'staging', 'min-soak': '24h', 'skip-stage': '' }, github: GITHUB };
    const job = runJob(ws, promotion, 'promote', context);
    expect(job.ran.map((step) => [step.step, step.code])).toEqual([['promote-unit-soaked', 1]]);
    expect(job.ran[0]!.output).toMatch(/soak/);
    expect(changedFiles(ws)).toEqual([]);
  });

  it('promotes dev to staging and writes the pull request body the workflow posts', () => {
    const context: RunContext = { inputs: { unit: 'dj-api', from: 'dev', to: 'staging', 'min-soak': '', 'skip-stage': '' }, github: GITHUB };
    const job = runJob(ws, promotion, 'promote', context);
    expect(job.ran.map((step) => [step.step, step.code]), JSON.stringify(job.ran, null, 2)).toEqual([['promote-unit', 0]]);
    const pr = promotion.jobs[0]!.steps.find((step) => step.uses?.startsWith('peter-evans/create-pull-request@'))!;
    const body = readFileSync(join(ws, String(pr.with?.['body-path'])), 'utf8');
    expect(body).toMatch(/^## Promotion dev → staging/m);
    expect(body).toContain(IMAGE.split('@')[1]);
    expect(body).toMatch(/Destructive-change guard passed/);
    const changed = changedFiles(ws);
    expect(changed).toContain(PINS);
    expect(changed.every((file) => file === PINS || file.startsWith('clusters/staging/'))).toBe(true);
    expect(changed.filter((file) => !covered(String(pr.with?.['add-paths']), file))).toEqual([]);
  });
});

describe('artifacts.yml on a workspace copy', { timeout: 900_000 }, () => {
  const artifacts = workflow('artifacts.yml');
  let ws: string;
  let matrix: Record<string, string>[];
  let schemas: Record<string, string>[];

  beforeAll(() => {
    ws = copyWorkspace();
    const job = runJob(ws, artifacts, 'plan', { github: GITHUB });
    expect(job.ran.filter((step) => step.code !== 0), JSON.stringify(job.ran, null, 2)).toEqual([]);
    matrix = JSON.parse(job.outputs.matrix!) as Record<string, string>[];
    schemas = JSON.parse(job.outputs.schemas!) as Record<string, string>[];
  });

  it('creates each AppConfig profile schema the render pulls, in each cluster, under the name its ExternalSecret reads', () => {
    expect(schemas.map((entry) => entry.cluster)).toEqual(['dev', 'staging', 'prod']);
    for (const entry of schemas) {
      const file = join(ws, 'clusters', entry.cluster!, 'infra-configs/appconfig-sync-platform/ExternalSecret.external-secrets.io_crossplane-system_team-a-config-demo-appconfig-schema.yaml');
      const externalSecret = parse(readFileSync(file, 'utf8')) as { metadata: { annotations: Record<string, string> }; spec: { data: { remoteRef: { key: string } }[] } };
      expect(entry.name).toBe(externalSecret.spec.data[0]!.remoteRef.key);
      expect(entry.schema).toBe(externalSecret.metadata.annotations['flotilla.dev/appconfig-schema']);
      expect(entry.token).toBe(createHash('sha256').update(entry.schema!).digest('hex'));
      expect(entry.tag).toBe('Key=tenant,Value=platform');
      // The same role as the zip uploads of that cluster (its ci-artifacts unit).
      expect(entry.role).toBe(matrix.find((upload) => upload.cluster === entry.cluster)!.role);
    }
    const job = artifacts.jobs.find((candidate) => candidate.id === 'schemas')!;
    expect(job.environment).toBe('artifacts');
    expect(job.needs).toBe('plan');
  });

  it("uploads each Lambda zip to the bucket each cluster renders, whose Function runs the signed copy's key, with the role its ci-artifacts unit declares", () => {
    expect(matrix.map((entry) => `${entry.cluster}/${entry.app}`)).toEqual(['dev/appconfig-sync', 'dev/policy-findings', 'staging/appconfig-sync', 'staging/policy-findings', 'prod/appconfig-sync', 'prod/policy-findings']);
    for (const entry of matrix) {
      const folder = join(ws, 'clusters', entry.cluster!, 'infra-configs');
      const functions = readdirSync(folder, { recursive: true, encoding: 'utf8' })
        .filter((file) => /Function\.lambda\.services\.k8s\.aws_/.test(file))
        .map((file) => parse(readFileSync(join(folder, file), 'utf8')) as { spec: { code: { s3Bucket: string; s3Key: string } } })
        .filter((fn) => fn.spec.code.s3Key.includes(`${entry.app}-`));
      // The Function's CodeSigningConfig is Enforce: it runs the signed copy, not the uploaded zip.
      expect(functions.map((fn) => fn.spec.code), `${entry.cluster}/${entry.app}`).toEqual([{ ...functions[0]!.spec.code, s3Bucket: entry.bucket, s3Key: entry['signed-key'] }]);
      expect(entry['signed-file']).toBe(`signed-packages/${entry.cluster}/${entry.key!.split('/').at(-1)}`);
      const bucket = parse(readFileSync(join(folder, 'ci-artifacts/Bucket.s3.services.k8s.aws_ack-system_artifacts.yaml'), 'utf8')) as { spec: { name: string; policy: string } };
      expect(bucket.spec.name).toBe(entry.bucket);
      // The only writer the bucket policy admits is the role the job assumes.
      expect(JSON.parse(bucket.spec.policy).Statement[1].Condition.ArnNotEquals['aws:PrincipalArn']).toBe(entry.role);
      expect(entry['signing-profile']).toBe('flotilla_lambda');
      expect(entry['signed-key']).toBe(`signed/${entry.key}`);
    }
    const upload = artifacts.jobs.find((job) => job.id === 'upload')!;
    expect(upload.environment).toBe('artifacts');
  });

  it('rebuilds the zip the record names, byte for byte, before uploading it', () => {
    const entry = matrix[0]!;
    const job = runJob(ws, artifacts, 'upload', { matrix: entry, github: GITHUB });
    expect(job.ran.map((step) => [step.step, step.code]), JSON.stringify(job.ran, null, 2)).toEqual([
      ['rebuild every Lambda zip (reproducible)', 0],
      ['the zips equal the committed artifact records', 0],
    ]);
    const record = JSON.parse(readFileSync(join(ws, 'libs/appconfig-contract/artifact.json'), 'utf8')) as { sha256: string };
    expect(existsSync(join(ws, entry.zip!))).toBe(true);
    expect(createHash('sha256').update(readFileSync(join(ws, entry.zip!))).digest('base64')).toBe(record.sha256);
  });

  it("records each cluster's signed package and re-renders the Functions with its key and digest", () => {
    // What the upload jobs' download step would fetch from each cluster's signed/<zip> key. Signer cannot run here,
    // so each stands in for a signed copy: the rebuilt zip with bytes appended (a zip that is not the unsigned one).
    for (const entry of matrix) {
      mkdirSync(join(ws, entry['signed-file']!, '..'), { recursive: true });
      writeFileSync(join(ws, entry['signed-file']!), Buffer.concat([readFileSync(join(ws, entry.zip!)), Buffer.from(`signed for ${entry.cluster}`)]));
    }
    const job = runJob(ws, artifacts, 'record', { github: GITHUB });
    expect(job.ran.map((step) => [step.step, step.code]), JSON.stringify(job.ran, null, 2)).toEqual([
      ["record each cluster's signed package (libs/*/artifact.signed.json)", 0],
      ['render the Functions with the signed keys and digests', 0],
    ]);
    for (const entry of matrix) {
      const contract = entry.app === 'appconfig-sync' ? 'appconfig-contract' : 'policy-findings-contract';
      const signed = JSON.parse(readFileSync(join(ws, `libs/${contract}/artifact.signed.json`), 'utf8')) as { example?: boolean; clusters: Record<string, { sha256: string }> };
      expect(signed.example).toBeUndefined();
      const digest = createHash('sha256').update(readFileSync(join(ws, entry['signed-file']!))).digest('base64');
      expect(signed.clusters[entry.cluster!]!.sha256).toBe(digest);
      const folder = join(ws, 'clusters', entry.cluster!, 'infra-configs');
      const fn = readdirSync(folder, { recursive: true, encoding: 'utf8' })
        .filter((file) => /Function\.lambda\.services\.k8s\.aws_/.test(file))
        .map((file) => parse(readFileSync(join(folder, file), 'utf8')) as { spec: { code: { s3Key: string; sha256: string } } })
        .find((candidate) => candidate.spec.code.s3Key.includes(`${entry.app}-`))!;
      expect(fn.spec.code).toMatchObject({ s3Key: entry['signed-key'], sha256: digest });
    }
    // What the commit step pushes: the records and the render, nothing else.
    const pushed = artifacts.jobs.find((candidate) => candidate.id === 'record')!.steps.find((step) => step.uses?.startsWith('stefanzweifel/git-auto-commit-action@'))!;
    const patterns = String(pushed.with?.file_pattern).split(' ');
    expect(changedFiles(ws).filter((file) => !file.startsWith('signed-packages/') && !file.startsWith('dist/')).every((file) => patterns.some((pattern) => file.startsWith(`${pattern}/`) || new RegExp(`^${pattern.replace(/\*/g, '[^/]+')}$`).test(file)))).toBe(true);
    // Every build is now signed for every cluster: a re-run's plan signs nothing.
    const replan = runJob(ws, artifacts, 'plan', { github: GITHUB });
    expect(replan.outputs.matrix).toBe('[]');
  });

  it('fails before any upload when the committed record is not what the source builds', () => {
    const file = join(ws, 'libs/policy-findings-contract/artifact.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, `${JSON.stringify({ ...record, size: (record.size as number) + 1 }, null, 2)}\n`);
    git(ws, '-c', 'user.name=flotilla-test', '-c', 'user.email=test@example.com', 'commit', '-qam', 'a record that no build produces');
    const job = runJob(ws, artifacts, 'upload', { matrix: matrix[1]!, github: GITHUB });
    expect(job.failed).toBe(true);
    expect(job.ran.at(-1)).toMatchObject({ step: 'the zips equal the committed artifact records', code: 1 });
    expect(job.ran.at(-1)!.output).toMatch(/libs\/policy-findings-contract\/artifact\.json/);
  });
});
