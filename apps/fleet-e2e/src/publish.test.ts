import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRegistry, type LocalRegistry } from '@flotilla/publish/testing';
import { copyWorkspace, git, run } from './testing';

// The example fleet's prod cluster uses OCI delivery; publish it through the CLI to a real
// registry (docker-registry on 127.0.0.1) and read it back with skopeo.
let registry: LocalRegistry;
let ws: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  registry = await startLocalRegistry();
  ws = copyWorkspace();
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  env = { FLOTILLA_PROD_COSIGN_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
});

afterAll(async () => {
  await registry?.stop();
  if (ws) rmSync(ws, { recursive: true, force: true });
});

describe('flotilla publish', () => {
  it('pushes prod (the OCI cluster) as a signed artifact whose root Kustomization is the verified OCIRepository, then nothing when unchanged', () => {
    const first = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'publish', '--registry', `${registry.host}/flotilla`], env);
    expect(first.code, first.stderr).toBe(0);
    const commit = git(ws, 'rev-parse', 'HEAD').trim();
    expect(first.stdout).toMatch(new RegExp(`^prod: pushed ${registry.host}/flotilla/prod@sha256:[0-9a-f]{64} as ${commit}, prod, signed \\(4 blobs, 3 manifests\\)$`, 'm'));
    const digest = /@(sha256:[0-9a-f]{64})/.exec(first.stdout)![1]!;
    const signature = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/flotilla/prod:${digest.replace(':', '-')}.sig`], { encoding: 'utf8' });
    expect(JSON.parse(signature).layers[0].mediaType).toBe('application/vnd.dev.cosign.simplesigning.v1+json');
    // What Flux unpacks: clusters/prod/ at its repository path, whose gotk-sync.yaml is the verified OCIRepository.
    const pulled = join(ws, '.pulled');
    execFileSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${registry.host}/flotilla/prod:prod`, `dir:${pulled}`]);
    const layer = JSON.parse(readFileSync(join(pulled, 'manifest.json'), 'utf8')).layers[0].digest.replace('sha256:', '');
    const gotkSync = execFileSync('tar', ['-xzOf', join(pulled, layer), 'clusters/prod/flux-system/gotk-sync.yaml'], { encoding: 'utf8' });
    expect(gotkSync).toBe(readFileSync(join(ws, 'clusters/prod/flux-system/gotk-sync.yaml'), 'utf8'));
    expect(gotkSync).toMatch(/kind: OCIRepository[\s\S]*verify:\n {4}provider: cosign\n {4}secretRef:\n {6}name: cosign-public-key/);
    rmSync(pulled, { recursive: true, force: true });
    const again = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'publish', '--cluster', 'prod', '--registry', `${registry.host}/flotilla`], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`prod: unchanged, ${registry.host}/flotilla/prod:prod is ${digest} (main@sha1:${commit}); nothing pushed`);
  });

  it('fails with the cluster and the fix, not a stack trace', () => {
    const dev = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'publish', '--cluster', 'dev', '--registry', `${registry.host}/flotilla`], env);
    expect(dev.code).toBe(1);
    expect(dev.stderr).toBe("flotilla publish: cluster dev: uses git delivery; set delivery: { type: 'oci', … } in its config to publish it\n");
    const http = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'publish', '--registry', 'http://registry.example.com/flotilla'], env);
    expect(http.code).toBe(1);
    expect(http.stderr).toContain('plain HTTP is allowed only for localhost or 127.0.0.1');
    const noKey = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'publish', '--registry', `${registry.host}/flotilla`], { FLOTILLA_PROD_COSIGN_KEY: '' });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('cluster prod: environment variable FLOTILLA_PROD_COSIGN_KEY is not set');
  });
});
