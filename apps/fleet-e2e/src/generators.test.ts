import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyWorkspace, git, run } from './testing';

// The generators on a copy of the real workspace, through the Nx command line users run; then
// everything that must hold for the result: it compiles, its test passes, synth renders it,
// validation passes, and nx affected picks the new project up.

const OIDC = 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
// Every cluster runs the platform's tenants (team-a-web's database) and reads its VPC (the load balancer controller's VPC id, Kong's trusted CIDR).
const VPC = ['--vpcId', 'vpc-0d4e5f6a7b8c90000', '--vpcCidr', '10.40.0.0/16', '--databaseSubnetsCidr', '10.40.64.0/20', '--databaseSubnetIds', 'subnet-0a1b2c3d4e5f60101,subnet-0a1b2c3d4e5f60102', '--databaseSecurityGroup', 'sg-0a1b2c3d4e5f60110'];
// An image CI pushes to each account's ECR (no registry host: the cluster's own registry, the one prod's image
// signature policy covers); the digest is a placeholder, well formed.
const IMAGE = `team-b/web2:1.0.0@sha256:${'0f'.repeat(32)}`;

function nxGenerate(ws: string, ...args: string[]): { code: number; output: string } {
  const result = run(ws, 'nx', ['g', ...args, '--no-interactive']);
  return { code: result.code, output: result.stdout + result.stderr };
}

/** Type errors of the whole workspace, from the same TypeScript 7 type-check npm test runs. */
function typeErrors(ws: string): string[] {
  const tsc = run(ws, 'node', ['node_modules/typescript-native/bin/tsc', '-p', 'tsconfig.json', '--noEmit']);
  return tsc.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
}

describe('nx g ./libs/generators', () => {
  it('cluster, team and app produce a workspace that compiles, tests, renders, validates and is affected', () => {
    // GIVEN a copy of the workspace, and the type errors it has before (other work in progress)
    const ws = copyWorkspace();
    const errorsBefore = typeErrors(ws);
    // WHEN a second staging cluster, a team (on every cluster) and an app of that team are generated
    const cluster = nxGenerate(ws, './libs/generators:cluster', 'staging-eu', '--account', '444444444444', '--environment', 'staging', '--oidcIssuerUrl', OIDC, ...VPC);
    expect(cluster.code, cluster.output).toBe(0);
    const team = nxGenerate(ws, './libs/generators:team', 'team-b', '--costCenter', 'cc-2002');
    expect(team.code, team.output).toBe(0);
    // the image by digest (any well-formed digest passes the offline checks), pinned for every stage
    const app = nxGenerate(ws, './libs/generators:app', 'web2', '--team', 'team-b', '--image', IMAGE);
    expect(app.code, app.output).toBe(0);
    expect(app.output).toMatch(/CREATE charts\/workloads\/web2\/project\.json/);
    expect(app.output).toMatch(/UPDATE apps\/fleet\/src\/lib\/releases\.ts/);
    // The cluster folder holds only its facts and index; the cluster runs the platform of its stage.
    expect(run(ws, 'git', ['status', '--porcelain', '--', 'apps/fleet/src/lib/clusters']).stdout.split('\n').filter(Boolean).sort()).toEqual(['?? apps/fleet/src/lib/clusters/staging-eu/']);

    // THEN the workspace typechecks: the generated and edited files add no type error
    expect(typeErrors(ws).filter((error) => !errorsBefore.includes(error))).toEqual([]);
    // AND the new project's own targets pass: typecheck, lint and its behaviour test
    const targets = run(ws, 'nx', ['run-many', '-t', 'typecheck,lint,test', '-p', 'web2', '--output-style=static', '--skip-nx-cache']);
    expect(targets.code, targets.stdout + targets.stderr).toBe(0);
    expect(targets.stdout).toMatch(/Successfully ran targets typecheck, lint, test for project web2/);
    expect(targets.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+4 passed \(4\)/);
    // AND synth renders the app into every cluster, the new one included, and the team's namespace
    const synth = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'synth']);
    expect(synth.code, synth.stderr).toBe(0);
    for (const name of ['dev', 'prod', 'staging', 'staging-eu']) {
      expect(readFileSync(join(ws, `clusters/${name}/apps/web2/Deployment_team-b_web2.yaml`), 'utf8'), name).toMatch(new RegExp(`image: "\\d{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/${IMAGE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
      expect(readFileSync(join(ws, `clusters/${name}/infra-configs/teams/Namespace_team-b.yaml`), 'utf8')).toMatch(/cost-center: cc-2002/);
    }
    expect(readFileSync(join(ws, 'clusters/staging-eu/flux-system/gotk-sync.yaml'), 'utf8')).toMatch(/path: "\.\/clusters\/staging-eu"/);
    // AND the rendered fleet passes validation (schemas, CEL, references, policies)
    const validate = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'validate', 'clusters']);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    // AND, with the changes uncommitted, nx affected lists the new project and the fleet-level synth target
    const affected = run(ws, 'nx', ['show', 'projects', '--affected', '--base=HEAD', '--with-target', 'synth']);
    expect(affected.code, affected.stderr).toBe(0);
    expect(affected.stdout.split('\n')).toEqual(expect.arrayContaining(['web2', 'fleet-scaffold']));
  }, 600_000);

  it('fails with the reason and changes nothing when the team is unknown', () => {
    const ws = copyWorkspace();
    const app = nxGenerate(ws, './libs/generators:app', 'web2', '--team', 'team-zz', '--image', IMAGE);
    expect(app.code).not.toBe(0);
    expect(app.output).toMatch(/team 'team-zz' is not declared in apps\/fleet\/src\/lib\/platform\/tenants\.ts/);
    expect(git(ws, 'status', '--porcelain')).toBe('');
  }, 120_000);

  it('refuses an app image without a digest, with the rule set-image applies, and changes nothing', () => {
    const ws = copyWorkspace();
    const app = nxGenerate(ws, './libs/generators:app', 'web2', '--team', 'team-a', '--image', 'public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine');
    expect(app.code).not.toBe(0);
    expect(app.output).toMatch(/--image: image 'public\.ecr\.aws\/nginx\/nginx-unprivileged:1\.29\.3-alpine' has no digest; pin it as <repository>\[:tag\]@sha256:<64 hex digits>/);
    expect(git(ws, 'status', '--porcelain')).toBe('');
  }, 120_000);
});
