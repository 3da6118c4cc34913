import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '@flotilla/core/testing';
import { copyWorkspace, git, run } from './testing';

/** Replaces `from` by `to` in a file of the workspace; fails when the file no longer has `from`. */
function edit(ws: string, file: string, from: string, to: string): void {
  const source = readFileSync(join(ws, file), 'utf8');
  expect(source, `${file} changed shape; update this test`).toContain(from);
  writeFileSync(join(ws, file), source.replace(from, to));
}

/** What synth owns in the workspace: clusters/ and the CODEOWNERS file it renders. */
function rendered(ws: string): Map<string, string> {
  return new Map([...readTree(join(ws, 'clusters')), ['.github/CODEOWNERS', readFileSync(join(ws, '.github/CODEOWNERS'), 'utf8')]]);
}

/** The render after an affected synth must be exactly what a full render then leaves (it changes nothing). */
function expectFullRenderChangesNothing(ws: string): Map<string, string> {
  const affected = rendered(ws);
  const full = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'synth']);
  expect(full.code, full.stderr).toBe(0);
  expect(rendered(ws)).toEqual(affected);
  return affected;
}

const APP = 'charts/workloads/team-a-web/src/lib/team-a-web.ts';

/** A fresh copy builds its CLI bundle (type-check included) before the first render; busy machines need minutes. */
const SLOW = 360_000;

describe('nx affected -t synth', () => {
  it('after a one-line app change runs only that app and gives exactly the clusters/ of a full render', () => {
    // GIVEN a workspace; WHEN one line of one app changes
    const ws = copyWorkspace();
    // (a mount path: team-a-web's image is a release pin, so its chart default no longer renders)
    edit(ws, APP, "secretsMountPath: '/mnt/secrets/db'", "secretsMountPath: '/mnt/secrets/database'");
    const result = run(ws, 'nx', ['affected', '-t', 'synth', '--base=HEAD', '--skip-nx-cache', '--output-style=static']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // THEN only the app ran (the fleet-level synth is not affected by a unit), and a full render changes nothing
    expect([...result.stdout.matchAll(/nx run ([^\s:]+):synth/g)].map((match) => match[1])).toEqual(['team-a-web']);
    expect(git(ws, 'status', '--porcelain', '--', 'clusters')).toMatch(/Deployment_team-a_web\.yaml/);
    expectFullRenderChangesNothing(ws);
  }, SLOW);

  it("after a change to a unit's dependencies, the unit's own synth brings sync/ up to date", () => {
    // GIVEN a workspace; WHEN the app's unit gains a dependency (its Flux Kustomization in sync/ changes)
    const ws = copyWorkspace();
    edit(ws, APP, "dependsOn: ['teams'],", "dependsOn: ['teams', 'secret-stores'],");
    const result = run(ws, 'nx', ['affected', '-t', 'synth', '--base=HEAD', '--skip-nx-cache', '--output-style=static']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // THEN still only the app ran, its Kustomization lists the dependency, and a full render changes nothing
    expect([...result.stdout.matchAll(/nx run ([^\s:]+):synth/g)].map((match) => match[1])).toEqual(['team-a-web']);
    const tree = expectFullRenderChangesNothing(ws);
    const kustomization = [...tree].find(([file]) => file.startsWith('dev/sync/') && file.endsWith('_team-a-web.yaml'));
    expect(kustomization?.[1]).toMatch(/name: secret-stores/);
  }, SLOW);

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
  }, SLOW);
});

describe('flotilla synth --base (what CI runs)', () => {
  it('renders a one-app change in one process, per project, and gives exactly the clusters/ of a full render', () => {
    // GIVEN a workspace; WHEN one line of one app changes
    const ws = copyWorkspace();
    edit(ws, APP, "secretsMountPath: '/mnt/secrets/db'", "secretsMountPath: '/mnt/secrets/database'");
    const result = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'synth', '--base', 'HEAD']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // THEN only that project is rendered, and a full render changes nothing
    expect(result.stdout).toMatch(/^1 of \d+ unit projects affected since HEAD: team-a-web$/m);
    expect(result.stdout).toMatch(/rendered \d+ objects for 3 cluster\(s\): 0 added, 3 updated, 0 removed/);
    expectFullRenderChangesNothing(ws);
  }, SLOW);

  it("falls back to one full render when a cluster's config changes, and gives exactly the clusters/ of a full render", () => {
    // GIVEN a workspace; WHEN dev's index.ts overrides a setting of its environment (every unit reads the cluster config)
    const ws = copyWorkspace();
    edit(ws, 'apps/fleet/src/lib/clusters/dev/index.ts', 'fleetCluster(c, {\n', 'fleetCluster(c, {\n    overrides: { gatekeeper: { replicas: 2 } },\n');
    const result = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'synth', '--base', 'HEAD']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // THEN the fleet-level project is affected (git shows an input of its target changed), one full render ran, and it equals a full render
    expect(result.stdout).toMatch(/^apps\/fleet\/src\/lib\/clusters\/dev\/index\.ts changed since HEAD, an input of fleet-scaffold:synth: one full render$/m);
    expect(result.stdout).toMatch(/rendered \d+ objects for 3 cluster\(s\)/);
    expect(git(ws, 'status', '--porcelain', '--', 'clusters')).toMatch(/dev\/infra-controllers\/gatekeeper\/HelmRelease/);
    expectFullRenderChangesNothing(ws);
  }, SLOW);

  it('says so and writes nothing when no project with a synth target changed', () => {
    const ws = copyWorkspace();
    writeFileSync(join(ws, 'docs/notes.md'), 'a note\n');
    const result = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'synth', '--base', 'HEAD']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('no project with a synth target changed since HEAD\n');
    expect(git(ws, 'status', '--porcelain', '--', 'clusters')).toBe('');
  }, SLOW);
});
