import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '@flotilla/model';
import { renderSourcesMarkdown } from './sources-md';
import { digest, readSources, withVersion } from './sources';

const upstreamDir = join(findRepoRoot(__dirname), 'libs/upstream');
const sources = readSources(upstreamDir);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [relative(upstreamDir, full)];
  });
}

describe('libs/upstream/sources.json', () => {
  it('records every vendored file, and each one has the recorded sha256 (no hand edits)', () => {
    // GIVEN every file in the data folders and every file sources.json lists
    const onDisk = ['crds', 'kubernetes', 'ec2', 'charts', 'iam'].flatMap((dir) => filesUnder(join(upstreamDir, dir))).sort();
    const recorded = sources.flatMap((s) => s.files.map((f) => `${withVersion(s.dir, s.version)}/${f.file}`)).sort();
    // THEN they are the same files, and every compact copy matches its checksum
    expect(onDisk).toEqual(recorded);
    for (const source of sources) {
      for (const file of source.files) {
        const path = join(upstreamDir, withVersion(source.dir, source.version), file.file);
        expect(digest(readFileSync(path, 'utf8')), `${path}: run nx run upstream:refresh -- --family ${source.id}`).toEqual(file.compact);
      }
    }
  });

  it('names repository, version, commit, license and the raw URL at the pinned ref for every file', () => {
    for (const source of sources) {
      expect(source.commit, source.id).toMatch(/^[0-9a-f]{40}$/);
      expect(source.license, source.id).toMatch(/\w/);
      // Charts are versioned without a "v" (their release tag is in refTemplate); the rest by tag.
      expect(source.version, source.id).toMatch(source.kind === 'helm-chart' ? /^\d+\.\d+\.\d+$/ : /^v\d+\.\d+\.\d+$/);
      if (source.kind === 'helm-chart') {
        const placeholder = source.chart?.versionPlaceholder ? { versionPlaceholder: expect.stringMatching(/^v?0\.0\.0$/) } : {};
        expect(source.chart, source.id).toEqual({ name: expect.stringMatching(/^[a-z0-9-]+$/), version: source.version, ...placeholder });
      }
      for (const file of source.files) {
        expect(file.url).toBe(`https://raw.githubusercontent.com/${source.repository}/${source.ref}/${withVersion(file.path, source.version)}`);
        expect(file.upstream.sha256).toMatch(/^[0-9a-f]{64}$/);
        // Compact means smaller: the descriptions are gone.
        expect(file.compact.bytes, file.url).toBeLessThanOrEqual(file.upstream.bytes);
      }
    }
  });

  it('holds the Kubernetes definitions of every version Amazon EKS supports in standard support', () => {
    const kubernetes = sources.filter((s) => s.kind === 'kubernetes').map((s) => s.version);
    expect(kubernetes).toEqual(['v1.34.0', 'v1.35.0', 'v1.36.0']);
  });

  it('is what SOURCES.md shows', () => {
    expect(readFileSync(join(upstreamDir, 'SOURCES.md'), 'utf8')).toBe(renderSourcesMarkdown(upstreamDir, sources));
  });
});
