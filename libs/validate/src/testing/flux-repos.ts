import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findRepoRoot } from '@flotilla/model';

/** The pinned copies of the Flux example repositories (see fixtures/flux-repos/SOURCES.md). */
export const FLUX_REPOS = join(findRepoRoot(__dirname), 'libs/validate/fixtures/flux-repos');

/** A scratch repository: a copy of a fixture (or empty) that a test may change; `remove()` deletes it. */
export function scratchRepo(fixture?: string): { dir: string; write(file: string, content: string): void; edit(file: string, change: (text: string) => string): void; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-flux-repo-'));
  if (fixture) cpSync(join(FLUX_REPOS, fixture), dir, { recursive: true });
  return {
    dir,
    write(file, content) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), content);
    },
    edit(file, change) {
      const path = join(dir, file);
      const before = readFileSync(path, 'utf8');
      const after = change(before);
      if (after === before) throw new Error(`edit of ${file} changed nothing`);
      writeFileSync(path, after);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** 1-based line of the first line of `file` that contains `text`. */
export function lineOf(dir: string, file: string, text: string): number {
  const index = readFileSync(join(dir, file), 'utf8').split('\n').findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${text} not in ${file}`);
  return index + 1;
}
