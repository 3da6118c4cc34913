import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '@flotilla/core/testing';
import { copyWorkspace, git, run } from './testing';

describe('nx affected -t synth', () => {
  it('after a one-line app change re-renders only that app and gives exactly the clusters/ of a full render', () => {
    // GIVEN two identical workspaces
    const affected = copyWorkspace();
    const full = copyWorkspace();
    // WHEN one line of one app changes
    const app = 'charts/workloads/team-a-web/src/lib/team-a-web.ts';
    for (const ws of [affected, full]) {
      const source = readFileSync(join(ws, app), 'utf8');
      writeFileSync(join(ws, app), source.replace("image: 'public.ecr.aws/nginx/nginx:1.29.3'", "image: 'public.ecr.aws/nginx/nginx:1.29.4'"));
    }
    const result = run(affected, 'nx', ['affected', '-t', 'synth', '--base=HEAD', '--skip-nx-cache', '--output-style=static']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(run(full, 'node', ['apps/fleet/bin/flotilla.js', 'synth']).code).toBe(0);
    // THEN only the app and the fleet scaffold (which imports it) ran, and the trees are identical
    expect(result.stdout).toMatch(/nx run team-a-web:synth/);
    expect(result.stdout).toMatch(/nx run fleet:synth/);
    expect(result.stdout).not.toMatch(/nx run teams:synth/);
    expect(readTree(join(affected, 'clusters'))).toEqual(readTree(join(full, 'clusters')));
    expect(git(affected, 'status', '--porcelain', '--', 'clusters')).toMatch(/Deployment_team-a_web\.yaml/);
  });

  it('after a policy edit lists every project whose tests or synth read policies/, and no other', () => {
    // GIVEN a workspace; WHEN one policy template changes
    const ws = copyWorkspace();
    const template = 'policies/general/imagetags/template.yaml';
    writeFileSync(join(ws, template), `${readFileSync(join(ws, template), 'utf8')}# a reviewer's note\n`);
    const result = run(ws, 'nx', ['show', 'projects', '--affected', '--base=HEAD']);
    expect(result.code, result.stderr).toBe(0);
    const affected = result.stdout.split('\n').filter(Boolean).sort();
    // THEN every project with a synth target (its checks evaluate the policies) and every test reader is affected
    const projects = JSON.parse(run(ws, 'nx', ['show', 'projects', '--json', '--with-target', 'synth']).stdout) as string[];
    const readers = ['policies', 'policy', 'cli', 'gatekeeper-policies', 'fleet', 'fleet-e2e', 'bench'];
    expect(affected).toEqual(expect.arrayContaining([...projects, ...readers]));
    // AND projects that never read policies/ are not
    for (const untouched of ['model', 'cel', 'appconfig-sync', 'appconfig-contract', 'k8s-apis', 'schemas', 'generators']) expect(affected).not.toContain(untouched);
  });
});
