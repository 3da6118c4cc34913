import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCluster, fixtureFleet } from '@flotilla/core/testing';
import { findRepoRoot } from '@flotilla/model';
import { startLocalRegistry, type LocalRegistry } from '../testing';
import { publish } from './publish';

// bcrypt (cost 4, so that each request checks fast) of the test-only password 'flotilla-test',
// from python3: crypt.crypt('flotilla-test', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)).
const HTPASSWD = 'flotilla:$2b$04$ksRtFF2IaKIwiXfBY8qn4.lU4oHRQl/HohQDQ/a55T32AYf7rIi8q';
const fleet = fixtureFleet(
  fixtureCluster('prod', [], { delivery: { type: 'oci', registry: 'registry.example.com/flotilla', verify: { publicKeySecret: 'k' }, signingKey: { env: 'KEY' } } }),
);

let registry: LocalRegistry;
let repo: string;
const env = { KEY: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };

beforeAll(async () => {
  registry = await startLocalRegistry({ htpasswd: HTPASSWD });
  repo = mkdtempSync(path.join(tmpdir(), 'flotilla-publish-auth-'));
  cpSync(path.join(findRepoRoot(__dirname), 'clusters/prod/flux-system'), path.join(repo, 'clusters/prod/flux-system'), { recursive: true });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'render');
});

afterAll(async () => {
  await registry?.stop();
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe('publish to a registry with Basic auth', () => {
  it('answers the Basic challenge with the credentials', async () => {
    const [result] = await publish({ repoRoot: repo, fleet, registry: `${registry.host}/flotilla`, env, credentials: { username: 'flotilla', password: 'flotilla-test' } });
    expect(result).toMatchObject({ unchanged: false, counts: { blobUploads: 4, manifestPuts: 3 } });
    expect(registry.accessLog().filter((line) => /"PUT \/v2\/flotilla\/prod\/manifests\/prod HTTP\/1.1" 201/.test(line))).toHaveLength(1);
  });

  it('fails without them, naming the registry, the request and the fix', async () => {
    await expect(publish({ repoRoot: repo, fleet, registry: `${registry.host}/flotilla`, env })).rejects.toThrow(
      `cluster prod: registry ${registry.host}: GET manifest prod answered 401 UNAUTHORIZED: authentication required (check the registry credentials and that they may push to this repository)`,
    );
  });
});
