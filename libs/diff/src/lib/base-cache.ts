import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

/** Where base renders are kept, relative to the repository root (git-ignored with the rest of `.flotilla/`). */
export const BASE_CACHE_DIR = '.flotilla/cache/base-render';

/** Renders kept; older ones are removed when a new one is written. */
const KEEP = 16;
/** Bumped when the file format changes, so an old entry is never misread. */
const FORMAT = 1;

interface CacheEntry {
  readonly format: number;
  readonly commit: string;
  readonly files: [string, string][];
}

/**
 * The render of `commit`, if cached. A commit's render depends only on its tree (its own code renders it,
 * with dependencies from its own lockfile), so the commit is the whole key.
 */
export async function readCachedRender(cacheDir: string, commit: string): Promise<Map<string, string> | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(cacheDir, `${commit}.json`), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const entry = JSON.parse(text) as CacheEntry;
    if (entry.format !== FORMAT || entry.commit !== commit || !Array.isArray(entry.files)) return undefined;
    return new Map(entry.files);
  } catch {
    // A damaged entry is rendered again (and overwritten).
    return undefined;
  }
}

/** Stores a render atomically (temp file + rename) and keeps the newest {@link KEEP} entries. */
export async function writeCachedRender(cacheDir: string, commit: string, files: ReadonlyMap<string, string>): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const entry: CacheEntry = { format: FORMAT, commit, files: [...files] };
  const target = path.join(cacheDir, `${commit}.json`);
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(entry));
  await rename(temp, target);
  const names = (await readdir(cacheDir)).filter((name) => /^[0-9a-f]{40,64}\.json$/.test(name));
  if (names.length <= KEEP) return;
  const dated = await Promise.all(names.map(async (name) => ({ name, mtime: (await stat(path.join(cacheDir, name))).mtimeMs })));
  dated.sort((a, b) => b.mtime - a.mtime);
  await Promise.all(dated.slice(KEEP).map(({ name }) => rm(path.join(cacheDir, name), { force: true })));
}
