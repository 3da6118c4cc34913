import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, git, run } from './testing';

const PINS = 'apps/fleet/src/lib/releases.ts';
const CLI = 'apps/fleet/bin/flotilla.js';
const NEW_DIGEST = 'b'.repeat(64);
const NEW_V2 = `dj/http-echo:1.3.0@sha256:${NEW_DIGEST}`;

/** Commits everything in `ws` at `date` (author and committer), so git history carries the soak time. */
function commitAt(ws: string, message: string, date: Date, amend = false): void {
  git(ws, 'add', '-A');
  const env = { ...process.env, GIT_AUTHOR_DATE: date.toISOString(), GIT_COMMITTER_DATE: date.toISOString() };
  execFileSync('git', ['-c', 'user.name=flotilla-test', '-c', 'user.email=test@example.com', 'commit', '-q', ...(amend ? ['--amend', '--no-edit'] : ['-m', message])], { cwd: ws, env });
}

const CHART_DIGEST = 'd'.repeat(64);
const CHART_PIN = `1.14.2@sha256:${CHART_DIGEST}`;

const flotilla = (ws: string, ...args: string[]) => run(ws, 'node', [CLI, ...args]);
const karpenterSource = (ws: string, cluster: string) => readFileSync(join(ws, `clusters/${cluster}/infra-controllers/karpenter/OCIRepository.source.toolkit.fluxcd.io_karpenter_karpenter.yaml`), 'utf8');
const deployment = (ws: string, cluster: string, name: string) => readFileSync(join(ws, `clusters/${cluster}/apps/dj-api/Deployment_dj_${name}.yaml`), 'utf8');

// One workspace copy, used in order: each step starts from what the previous one committed.
describe('set-image and promote on a workspace copy', { timeout: 900_000 }, () => {
  let ws: string;
  let pinsAtStart: string;

  beforeAll(() => {
    ws = copyWorkspace();
    // The copy's history starts three days ago, so its pins have soaked that long.
    commitAt(ws, 'base', new Date(Date.now() - 3 * 86_400_000), true);
    pinsAtStart = readFileSync(join(ws, PINS), 'utf8');
  });

  it('rejects an image without a digest and a registry the stage does not allow, changing nothing', () => {
    const tagOnly = flotilla(ws, 'set-image', 'dj-api', '--pin', 'v2', '--stage', 'dev', '--image', 'dj/http-echo:1.3.0');
    expect(tagOnly.code, tagOnly.stderr).toBe(1);
    expect(tagOnly.stderr).toMatch(/releases\.ts:\d+ \(dev\.dj-api\.v2\): image 'dj\/http-echo:1\.3\.0' has no digest; pin it as <repository>\[:tag\]@sha256:<64 hex digits>/);
    const foreign = flotilla(ws, 'set-image', 'dj-api', '--pin', 'v2', '--stage', 'prod', '--image', `ghcr.io/acme/http-echo:1.3.0@sha256:${NEW_DIGEST}`);
    expect(foreign.code, foreign.stderr).toBe(1);
    expect(foreign.stderr).toMatch(/cluster 'prod' does not allow 'ghcr\.io\/acme\/http-echo:1\.3\.0@sha256:b{64}': its allowed repositories are 222222222222\.dkr\.ecr\.eu-north-1\.amazonaws\.com\/, public\.ecr\.aws\/nginx\/, public\.ecr\.aws\/aws-appconfig\/ \(FlotillaAllowedRepos in clusters\/prod\/policies\//);
    const several = flotilla(ws, 'set-image', 'dj-api', '--stage', 'dev', '--image', NEW_V2);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/unit 'dj-api' has 2 pins on dev \(v1, v2\); choose one with --pin <name>/);
    expect(readFileSync(join(ws, PINS), 'utf8')).toBe(pinsAtStart);
  });

  it('says so and changes nothing when the pins are already equal', () => {
    const result = flotilla(ws, 'promote', 'team-a-web', '--from', 'dev', '--to', 'staging');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/nothing to promote: 'team-a-web' on staging already has dev's pins \(1 pin\(s\) equal\)/);
    expect(git(ws, 'status', '--porcelain')).toBe('');
  });

  it('refuses to skip staging while staging differs, unless given a reason', () => {
    const result = flotilla(ws, 'promote', 'dj-api', '--from', 'dev', '--to', 'prod');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refusing to skip staging: staging\.dj-api\.v2 differs from dev .*promote through it first \(flotilla promote dj-api --from dev --to staging\), or pass --skip-stage "<reason>"/);
    expect(git(ws, 'status', '--porcelain')).toBe('');
  });

  it('set-image edits the one pin in the TypeScript source and renders it', () => {
    const result = flotilla(ws, 'set-image', 'dj-api', '--pin', 'v2', '--stage', 'dev', '--image', NEW_V2);
    expect(result.code, result.stderr).toBe(0);
    const pins = readFileSync(join(ws, PINS), 'utf8');
    expect(pins).toBe(pinsAtStart.replace('dj/http-echo:1.2.0@sha256:6f3b7b828b5c9f4c54d6a835b8148b59d45792a7a1de50539f066394024542ea', NEW_V2));
    for (const name of ['jazz-v2', 'metal-v2']) expect(deployment(ws, 'dev', name)).toContain(`image: "111111111111.dkr.ecr.eu-north-1.amazonaws.com/${NEW_V2}"`);
    expect(deployment(ws, 'staging', 'jazz-v2')).not.toContain(NEW_DIGEST);
    expect(git(ws, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([
      ` M ${PINS}`,
      ' M clusters/dev/apps/dj-api/Deployment_dj_jazz-v2.yaml',
      ' M clusters/dev/apps/dj-api/Deployment_dj_metal-v2.yaml',
    ]);
    // Committed two hours ago: on dev for 2h.
    commitAt(ws, 'dj-api v2 1.3.0 on dev', new Date(Date.now() - 2 * 3_600_000));
  });

  it('--min-soak refuses pins that reached the source stage too recently, from git history', () => {
    const result = flotilla(ws, 'promote', 'dj-api', '--from', 'dev', '--to', 'staging', '--min-soak', '1d');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--min-soak 1d is not met: dev\.dj-api\.v2 \(apps\/fleet\/src\/lib\/releases\.ts:\d+\) has been on dev for 2h( \d+m)?, since \d{4}-/);
    expect(result.stderr).not.toMatch(/dev\.dj-api\.v1/);
    expect(git(ws, 'status', '--porcelain')).toBe('');
  });

  it('fails the proof on a change no pin explains and the guard on a destructive one, restoring pins and clusters/', () => {
    const dj = join(ws, 'apps/fleet/src/lib/teams/dj.ts');
    const tenants = join(ws, 'apps/fleet/src/lib/platform/tenants.ts');
    const [djBefore, tenantsBefore] = [readFileSync(dj, 'utf8'), readFileSync(tenants, 'utf8')];
    writeFileSync(dj, djBefore.replace("staging: { api: { hostname: 'api.staging.example.com', minReplicas: 1 } }", "staging: { api: { hostname: 'api.staging.example.com', minReplicas: 2 } }"));
    writeFileSync(tenants, tenantsBefore.replace('  comfyUi({ team: imagegen.on(c), ...comfyUiSettings(c), proxyReplicas: p.settings.kong.replicas }),\n', ''));
    const result = flotilla(ws, 'promote', 'dj-api', '--from', 'dev', '--to', 'staging');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/change\(s\) in the render do not derive from a promoted pin/);
    expect(result.stderr).toMatch(/staging: HorizontalPodAutoscaler dj\/jazz-v1 \(clusters\/staging\/apps\/dj-api\/[^)]+\): spec\.minReplicas: 1 → 2 is not an image field set from a promoted pin/);
    expect(result.stderr).toMatch(/staging: PersistentVolumeClaim imagegen\/comfyui-outputs .*: \(object\): removed/);
    // comfyui leaves every cluster (one tenants list, lib/platform/tenants.ts): the guard lists each, staging among them.
    expect(result.stderr).toMatch(/destructive-change guard failed on the target: \d+ blocking change\(s\)\n( {2}.*\n)* {2}staging: PersistentVolumeClaim imagegen\/comfyui-outputs/);
    expect(result.stderr).toMatch(/the pins file and clusters\/ were restored/);
    // Restored: the pins file as committed, staging's dj-api without the new image.
    expect(git(ws, 'status', '--porcelain', '--', PINS, 'clusters/staging/apps/dj-api/Deployment_dj_jazz-v2.yaml', 'clusters/staging/apps/dj-api/Deployment_dj_metal-v2.yaml')).toBe('');
    writeFileSync(dj, djBefore);
    writeFileSync(tenants, tenantsBefore);
    expect(flotilla(ws, 'synth').code).toBe(0);
    expect(git(ws, 'status', '--porcelain')).toBe('');
  });

  it('promotes: copies the pin, renders, proves only promoted images changed, passes the guard and writes the Markdown', () => {
    const result = flotilla(ws, 'promote', 'dj-api', '--from', 'dev', '--to', 'staging', '--min-soak', '1h', '--out', 'dist/promotion.md');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/promoted 1 pin\(s\) of 'dj-api' from dev to staging in apps\/fleet\/src\/lib\/releases\.ts: dj-api\.v2\nproof: 2 image or chart version field\(s\) changed, each set from a promoted pin; nothing else changed \(2 object\(s\) changed\)\nguard: passed\nwrote dist\/promotion\.md/);
    for (const name of ['jazz-v2', 'metal-v2']) expect(deployment(ws, 'staging', name)).toContain(`image: "333333333333.dkr.ecr.eu-west-1.amazonaws.com/${NEW_V2}"`);
    expect(git(ws, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([
      ` M ${PINS}`,
      ' M clusters/staging/apps/dj-api/Deployment_dj_jazz-v2.yaml',
      ' M clusters/staging/apps/dj-api/Deployment_dj_metal-v2.yaml',
    ]);
    const markdown = readFileSync(join(ws, 'dist/promotion.md'), 'utf8');
    expect(markdown).toContain('## Promotion dev → staging');
    expect(markdown).toContain(`| dj-api | v2 | image | \`dj/http-echo:1.1.0@sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0\` | \`${NEW_V2}\` |`);
    expect(markdown).toMatch(/\| staging \| 0 \| 2 \| 0 \| 0 \| 0 \|/);
    expect(markdown).toMatch(/\*\*Soak \(minimum 1h\):\*\*\n\n- dev\.dj-api\.v2 \(apps\/fleet\/src\/lib\/releases\.ts:\d+\): on dev for 2h( \d+m)? \(since /);
    // The next promotion of the same unit is a no-op.
    const again = flotilla(ws, 'promote', 'dj-api', '--from', 'dev', '--to', 'staging');
    expect(again.stdout).toMatch(/nothing to promote/);
    expect(flotilla(ws, 'synth', '--check').code).toBe(0);
  });

  it('skips a stage only with a reason, which the Markdown records', () => {
    commitAt(ws, 'dj-api v2 1.3.0 on staging', new Date());
    const hotfix = `dj/http-echo:1.3.1@sha256:${'c'.repeat(64)}`;
    expect(flotilla(ws, 'set-image', 'dj-api', '--pin', 'v2', '--stage', 'dev', '--image', hotfix).code).toBe(0);
    commitAt(ws, 'dj-api v2 1.3.1 on dev', new Date());
    const refused = flotilla(ws, 'promote', 'dj-api', '--from', 'dev', '--to', 'prod');
    expect(refused.stderr).toMatch(/refusing to skip staging: staging\.dj-api\.v2 differs from dev/);
    const result = flotilla(ws, 'promote', 'dj-api', '--from', 'dev', '--to', 'prod', '--skip-stage', 'CVE hotfix, verified on dev');
    expect(result.code, result.stderr).toBe(0);
    expect(deployment(ws, 'prod', 'jazz-v2')).toContain(`image: "222222222222.dkr.ecr.eu-north-1.amazonaws.com/${hotfix}"`);
    expect(readFileSync(join(ws, 'dist/promotion.md'), 'utf8')).toContain('**Skipped stage:** staging.dj-api.v2 differ(s) from dev. Reason: CVE hotfix, verified on dev');
  });

  it('promotes a chart pin: the OCIRepository tag and digest move, and an unrelated change still fails the proof', () => {
    commitAt(ws, 'dj-api v2 1.3.1 on prod', new Date());
    // A chart upgrade starts on dev: one literal in the chart releases of the pins file.
    const pins = readFileSync(join(ws, PINS), 'utf8');
    const at = pins.indexOf('export const chartReleases');
    writeFileSync(join(ws, PINS), pins.slice(0, at) + pins.slice(at).replace("karpenter: { karpenter: '1.14.1' }", `karpenter: { karpenter: '${CHART_PIN}' }`));
    expect(flotilla(ws, 'synth').code).toBe(0);
    expect(karpenterSource(ws, 'dev')).toContain(`digest: "sha256:${CHART_DIGEST}"`);
    commitAt(ws, 'karpenter chart 1.14.2 on dev', new Date());

    // An edit no pin explains, next to the chart promotion: refused, everything restored.
    const dj = join(ws, 'apps/fleet/src/lib/teams/dj.ts');
    const djBefore = readFileSync(dj, 'utf8');
    writeFileSync(dj, djBefore.replace("staging: { api: { hostname: 'api.staging.example.com', minReplicas: 1 } }", "staging: { api: { hostname: 'api.staging.example.com', minReplicas: 2 } }"));
    const refused = flotilla(ws, 'promote', 'karpenter', '--from', 'dev', '--to', 'staging');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/staging: HorizontalPodAutoscaler dj\/jazz-v1 .*: spec\.minReplicas: 1 → 2 is not an image field set from a promoted pin/);
    expect(refused.stderr).not.toMatch(/OCIRepository karpenter\/karpenter/);
    expect(karpenterSource(ws, 'staging')).toContain('tag: "1.14.1"');
    writeFileSync(dj, djBefore);
    expect(flotilla(ws, 'synth').code).toBe(0);
    expect(git(ws, 'status', '--porcelain')).toBe('');

    const result = flotilla(ws, 'promote', 'karpenter', '--from', 'dev', '--to', 'staging');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/promoted 1 pin\(s\) of 'karpenter' from dev to staging in apps\/fleet\/src\/lib\/releases\.ts: karpenter\.karpenter\nproof: 2 image or chart version field\(s\) changed, each set from a promoted pin; nothing else changed \(1 object\(s\) changed\)/);
    expect(karpenterSource(ws, 'staging')).toContain(`digest: "sha256:${CHART_DIGEST}"`);
    expect(readFileSync(join(ws, 'dist/promotion.md'), 'utf8')).toContain(`| karpenter | karpenter | chart | \`1.14.1\` | \`${CHART_PIN}\` |`);
    commitAt(ws, 'karpenter chart 1.14.2 on staging', new Date());

    // --all carries chart pins with image pins: staging → prod, which stays immutable (verified, by digest).
    const all = flotilla(ws, 'promote', '--all', '--from', 'staging', '--to', 'prod');
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/from staging to prod in apps\/fleet\/src\/lib\/releases\.ts: .*karpenter\.karpenter/);
    expect(karpenterSource(ws, 'prod')).toContain(`digest: "sha256:${CHART_DIGEST}"`);
    expect(flotilla(ws, 'validate', 'clusters').code).toBe(0);
  });
});
