import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildArtifact, reproducibleGzip } from './artifact';
import { sha256 } from './blob';
import { reproducibleTar, type TarEntry } from './tar';

const longName = `infra-controllers/${'a'.repeat(60)}/${'ClusterSecretStore.external-secrets.io_'.repeat(2)}${'b'.repeat(40)}.yaml`;
const veryLongName = `apps/${'x'.repeat(180)}.yaml`;
const files: TarEntry[] = [
  { path: 'sync/b.yaml', content: Buffer.from('b: 1\n') },
  { path: 'kustomization.yaml', content: Buffer.from('resources: []\n') },
  { path: longName, content: Buffer.from('long\n') },
  { path: veryLongName, content: Buffer.from('very long\n') },
  { path: 'sync/a.yaml', content: Buffer.alloc(1500, 'a') },
];
const props = { files, source: 'https://github.com/acme/fleet.git', revision: 'main@sha1:0123456789abcdef0123456789abcdef01234567', created: '2026-12-04T20:00:00Z' };

describe('reproducible artifact', () => {
  it('gives the same bytes for the same tree in any order, and a different layer for a different tree', () => {
    const a = buildArtifact(props);
    const b = buildArtifact({ ...props, files: [...files].reverse() });
    expect(b.layer.digest).toBe(a.layer.digest);
    expect(b.manifest.digest).toBe(a.manifest.digest);
    const c = buildArtifact({ ...props, files: [...files, { path: 'new.yaml', content: Buffer.from('x') }] });
    expect(c.layer.digest).not.toBe(a.layer.digest);
  });

  it('changes only the config and manifest, not the layer, at another commit of the same tree', () => {
    const a = buildArtifact(props);
    const later = buildArtifact({ ...props, revision: 'main@sha1:fedcba9876543210fedcba9876543210fedcba98', created: '2026-12-05T08:00:00Z' });
    expect(later.layer.digest).toBe(a.layer.digest);
    expect(later.diffId).toBe(a.diffId);
    expect(later.manifest.digest).not.toBe(a.manifest.digest);
  });

  it('compresses with zlib deterministically: no name, mtime 0, OS byte 255, and the tar round-trips', () => {
    const tar = reproducibleTar(files);
    const gz = reproducibleGzip(tar);
    expect(reproducibleGzip(Buffer.from(tar)).equals(gz)).toBe(true);
    expect([...gz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
    expect(gunzipSync(gz).equals(tar)).toBe(true);
    expect(sha256(tar)).toBe(buildArtifact(props).diffId);
  });

  it('writes a tar GNU tar reads: parents first, sorted, long paths through ustar prefix or PAX', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-tar-'));
    try {
      writeFileSync(path.join(dir, 'a.tar'), reproducibleTar(files));
      const listing = execFileSync('tar', ['-tf', path.join(dir, 'a.tar')], { encoding: 'utf8' }).trim().split('\n');
      expect(listing).toEqual(
        [
          'apps/',
          veryLongName,
          'infra-controllers/',
          `infra-controllers/${'a'.repeat(60)}/`,
          longName,
          'kustomization.yaml',
          'sync/',
          'sync/a.yaml',
          'sync/b.yaml',
        ],
      );
      execFileSync('tar', ['-xf', path.join(dir, 'a.tar'), '-C', dir]);
      expect(execFileSync('cat', [path.join(dir, veryLongName)], { encoding: 'utf8' })).toBe('very long\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses paths that could escape the artifact root', () => {
    expect(() => reproducibleTar([{ path: '../etc/passwd', content: Buffer.alloc(0) }])).toThrow('tar entry "../etc/passwd" is not a clean relative path');
    expect(() => reproducibleTar([{ path: '/abs', content: Buffer.alloc(0) }])).toThrow('not a clean relative path');
  });
});
