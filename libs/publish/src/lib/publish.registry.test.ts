import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OciDelivery } from '@flotilla/config';
import { fixtureCluster, fixtureFleet } from '@flotilla/core/testing';
import { findRepoRoot } from '@flotilla/model';
import { startLocalRegistry, type LocalRegistry } from '../testing';
import { publish } from './publish';
import { PublishError } from './publish-error';

// Real registry (Debian's docker-registry, CNCF distribution 2.8) and an independent client
// (skopeo, openssl, GNU tar); .ci/run installs them.
const run = (command: string, args: string[], cwd?: string) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const delivery: OciDelivery = {
  type: 'oci',
  registry: '123456789012.dkr.ecr.eu-north-1.amazonaws.com/flotilla',
  verify: { publicKeySecret: 'flotilla/prod/cosign-public-key' },
  signingKey: { env: 'TEST_COSIGN_KEY' },
};
const fleet = fixtureFleet(fixtureCluster('prod', [], { delivery, git: { url: 'https://github.com/acme/fleet.git' } }), fixtureCluster('dev', []));

let registry: LocalRegistry;
let repo: string;
let work: string;
let env: NodeJS.ProcessEnv;

function git(...args: string[]): string {
  return run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], repo).trim();
}

/** Every file under the registry's storage with its modification time: any write changes it. */
function storageSnapshot(): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else out.push(`${path.relative(registry.storage, full)} ${statSync(full).mtimeMs}`);
    }
  };
  visit(registry.storage);
  return out.sort();
}

const writes = () => registry.accessLog().filter((line) => /"(PUT|POST|PATCH|DELETE) /.test(line));
function manifestDigest(raw: string): string {
  const file = path.join(work, 'manifest.json');
  writeFileSync(file, raw);
  return run('skopeo', ['manifest-digest', file]).trim();
}
const skopeoRaw = (reference: string) => run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/flotilla/prod:${reference}`]);

beforeAll(async () => {
  registry = await startLocalRegistry();
  work = mkdtempSync(path.join(tmpdir(), 'flotilla-publish-'));
  repo = path.join(work, 'repo');
  // The example fleet's real prod render, in a repository of its own.
  cpSync(path.join(findRepoRoot(__dirname), 'clusters/prod'), path.join(repo, 'clusters/prod'), { recursive: true });
  writeFileSync(path.join(repo, 'README.md'), 'fleet\n');
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'render');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  env = { TEST_COSIGN_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
  writeFileSync(path.join(work, 'pub.pem'), publicKey.export({ format: 'pem', type: 'spki' }));
});

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('flotilla publish against a real registry', () => {
  let digest: string;

  it('pushes the Flux artifact format, tagged with the commit and the cluster tag', async () => {
    const [result] = await publish({ repoRoot: repo, fleet, registry: `${registry.host}/flotilla`, env });
    const commit = git('rev-parse', 'HEAD');
    expect(result).toMatchObject({ cluster: 'prod', repository: `${registry.host}/flotilla/prod`, tags: [commit, 'prod'], unchanged: false });
    const raw = skopeoRaw('prod');
    digest = result!.digest;
    expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(digest);
    const manifest = JSON.parse(raw) as { mediaType: string; config: { mediaType: string; digest: string }; layers: { mediaType: string; digest: string }[]; annotations: Record<string, string> };
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifest.config.mediaType).toBe('application/vnd.cncf.flux.config.v1+json');
    expect(manifest.layers.map((l) => l.mediaType)).toEqual(['application/vnd.cncf.flux.content.v1.tar+gzip']);
    expect(manifest.annotations).toEqual({
      'org.opencontainers.image.created': new Date(Number(git('show', '-s', '--format=%ct', 'HEAD')) * 1000).toISOString().replace('.000Z', 'Z'),
      'org.opencontainers.image.revision': `main@sha1:${commit}`,
      'org.opencontainers.image.source': 'https://github.com/acme/fleet.git',
    });
    // skopeo's own digest of the pulled manifest is the one publish reported, and the commit tag names it too.
    expect(manifestDigest(raw)).toBe(digest);
    expect(skopeoRaw(commit)).toBe(raw);
  });

  it('holds exactly the committed cluster folder at its repository path, readable by GNU tar with fixed owners and times', () => {
    const out = path.join(work, 'pulled');
    run('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${registry.host}/flotilla/prod:prod`, `dir:${out}`]);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { layers: { digest: string }[] };
    const layer = path.join(out, manifest.layers[0]!.digest.replace('sha256:', ''));
    const extracted = path.join(work, 'extracted');
    run('mkdir', ['-p', extracted]);
    run('tar', ['-xzf', layer, '-C', extracted]);
    // Repository-relative paths (clusters/prod/…), so Kustomization paths mean the same as in Git; README.md is not in it.
    const expected = git('ls-files', 'clusters/prod').split('\n').sort();
    expect(run('find', ['.', '-type', 'f'], extracted).trim().split('\n').map((f) => f.slice(2)).sort()).toEqual(expected);
    for (const file of expected) expect(readFileSync(path.join(extracted, file))).toEqual(readFileSync(path.join(repo, file)));
    const listing = run('tar', ['--numeric-owner', '--full-time', '-tvzf', layer]).trim().split('\n');
    expect(listing.every((line) => /^(-rw-r--r--|drwxr-xr-x) 0\/0 .* 1970-01-01 00:00:00 /.test(line))).toBe(true);
  });

  it('is signed in cosign format, and openssl verifies the signature with the public key alone', () => {
    const tag = digest.replace(':', '-') + '.sig';
    const sig = JSON.parse(skopeoRaw(tag)) as { config: { mediaType: string }; layers: { mediaType: string; digest: string; annotations: Record<string, string> }[] };
    expect(sig.config.mediaType).toBe('application/vnd.oci.image.config.v1+json');
    expect(sig.layers).toHaveLength(1);
    expect(sig.layers[0]!.mediaType).toBe('application/vnd.dev.cosign.simplesigning.v1+json');
    const out = path.join(work, 'signature');
    run('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${registry.host}/flotilla/prod:${tag}`, `dir:${out}`]);
    const payloadFile = path.join(out, sig.layers[0]!.digest.replace('sha256:', ''));
    expect(JSON.parse(readFileSync(payloadFile, 'utf8'))).toEqual({
      critical: { identity: { 'docker-reference': `${registry.host}/flotilla/prod` }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' },
      optional: null,
    });
    writeFileSync(path.join(work, 'sig.der'), Buffer.from(sig.layers[0]!.annotations['dev.cosignproject.cosign/signature']!, 'base64'));
    expect(run('openssl', ['dgst', '-sha256', '-verify', path.join(work, 'pub.pem'), '-signature', path.join(work, 'sig.der'), payloadFile]).trim()).toBe('Verified OK');
  });

  it('pushes nothing when the tree is unchanged, also at a later commit that did not touch it', async () => {
    const storage = storageSnapshot();
    const before = writes().length;
    const [again] = await publish({ repoRoot: repo, fleet, registry: `${registry.host}/flotilla`, env });
    expect(again).toMatchObject({ unchanged: true, digest, counts: { blobUploads: 0, manifestPuts: 0 } });
    writeFileSync(path.join(repo, 'README.md'), 'fleet, edited\n');
    git('commit', '-q', '-am', 'docs only');
    const [later] = await publish({ repoRoot: repo, fleet, registry: `${registry.host}/flotilla`, env });
    expect(later).toMatchObject({ unchanged: true, digest });
    expect(writes().length).toBe(before);
    expect(storageSnapshot()).toEqual(storage);
  });

  it('publishes a changed tree as a new digest that reuses nothing stale', async () => {
    const file = path.join(repo, 'clusters/prod/extra.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n');
    // Uncommitted: refused, the revision annotation would not describe the content.
    await expect(publish({ repoRoot: repo, fleet, registry: `${registry.host}/flotilla`, env })).rejects.toThrow(
      /cluster prod: clusters\/prod\/ has uncommitted changes \(\?\? clusters\/prod\/extra.yaml\); commit them first/,
    );
    git('add', '-A');
    git('commit', '-q', '-m', 'extra');
    const [changed] = await publish({ repoRoot: repo, fleet, registry: `${registry.host}/flotilla`, env });
    expect(changed!.unchanged).toBe(false);
    expect(changed!.digest).not.toBe(digest);
    expect(manifestDigest(skopeoRaw('prod'))).toBe(changed!.digest);
    // Two blobs (layer, config), commit tag, signature (payload, config, manifest), moving tag.
    expect(changed!.counts).toMatchObject({ blobUploads: 4, manifestPuts: 3 });
  });

  it('refuses plain HTTP to anything but localhost, a git cluster, a missing key and a cluster outside the fleet', async () => {
    await expect(publish({ repoRoot: repo, fleet, registry: 'http://registry.example.com/flotilla', env })).rejects.toThrow(
      "cluster prod: registry 'http://registry.example.com/flotilla': plain HTTP is allowed only for localhost or 127.0.0.1; use https:// (or no scheme) for registry.example.com",
    );
    await expect(publish({ repoRoot: repo, fleet, clusters: ['dev'], registry: `${registry.host}/flotilla`, env })).rejects.toThrow(
      "cluster dev: uses git delivery; set delivery: { type: 'oci', … } in its config to publish it",
    );
    await expect(publish({ repoRoot: repo, fleet, clusters: ['staging'], env })).rejects.toThrow(PublishError);
    await expect(publish({ repoRoot: repo, fleet, registry: `${registry.host}/flotilla`, env: {} })).rejects.toThrow(
      'cluster prod: environment variable TEST_COSIGN_KEY is not set; it must hold the PEM private key that signs the artifact (delivery.signingKey), e.g. from a CI secret',
    );
  });
});
