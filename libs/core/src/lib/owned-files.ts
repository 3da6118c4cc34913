import { closeSync, existsSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_MARKER } from './header';

/**
 * Files synth owns below `folders` (repo-relative): exactly those whose first line is the
 * generated-file header. Files without it, such as `flux-system/gotk-components.yaml` written by
 * `flux bootstrap`, are never listed, so synth never replaces or deletes them.
 */
export function listOwnedFiles(repoRoot: string, folders: readonly string[], excluded: readonly string[] = []): string[] {
  const owned: string[] = [];
  const skip = new Set(excluded);
  const visit = (relative: string) => {
    if (skip.has(relative)) return;
    const absolute = join(repoRoot, relative);
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile() && startsWithMarker(join(repoRoot, child))) owned.push(child);
    }
  };
  for (const folder of new Set(folders)) {
    if (existsSync(join(repoRoot, folder))) visit(folder);
  }
  return owned.sort();
}

const markerBytes = Buffer.byteLength(GENERATED_MARKER);

function startsWithMarker(file: string): boolean {
  const buffer = Buffer.alloc(markerBytes);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, buffer, 0, markerBytes, 0) === markerBytes && buffer.toString('utf8') === GENERATED_MARKER;
  } finally {
    closeSync(fd);
  }
}
