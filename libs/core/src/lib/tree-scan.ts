import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, type Dirent } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CODEOWNERS_FILE } from './codeowners';
import { GENERATED_MARKER, generatedHeaderProblem } from './header';

/** What stands at a path, as one readdir saw it. */
export type EntryKind = 'file' | 'folder' | 'symlink' | 'other';

/** A path synth will not write (a symlink, a folder where a file goes) or an owned file it will not touch. */
export interface TreeProblem {
  readonly file: string;
  readonly problem: string;
}

/**
 * One pass over the folders a synth manages: every folder listed once (no exists/stat per file), kinds
 * from readdir. Also checks each managed folder's ancestors, which synth would write through.
 */
export class TreeScan {
  /** Folder (repo-relative) → its entries. Only real folders, never through a symlink. */
  readonly listings = new Map<string, Map<string, EntryKind>>();
  readonly problems: TreeProblem[] = [];
  /** Ancestors of managed folders found to be real folders (not listed: synth does not manage them). */
  private readonly ancestors = new Set<string>(['.']);

  constructor(private readonly repoRoot: string, managed: readonly string[], private readonly excluded: ReadonlySet<string>) {
    for (const folder of new Set(managed)) {
      if (this.ancestorsUsable(folder)) this.walk(folder);
    }
  }

  kindOf(path: string): EntryKind | undefined {
    return this.listings.get(dirname(path))?.get(basename(path));
  }

  /** Folders between `path` and the nearest listed folder that do not exist yet, parents first; a blocker is recorded as a problem. */
  missingFolders(dir: string, file: string): string[] | undefined {
    const missing: string[] = [];
    for (let current = dir; !this.listings.has(current) && !this.ancestors.has(current); current = dirname(current)) {
      const kind = this.kindOf(current);
      if (kind !== undefined) {
        this.problems.push({ file, problem: blocker(current, kind) });
        return undefined;
      }
      missing.unshift(current);
    }
    return missing;
  }

  read(path: string): string {
    return readFileSync(join(this.repoRoot, path), 'utf8');
  }

  /** Whether a file starts with the generated marker (reads only the marker's bytes). */
  startsWithMarker(path: string): boolean {
    const buffer = Buffer.alloc(markerBytes);
    const fd = openSync(join(this.repoRoot, path), 'r');
    try {
      return readSync(fd, buffer, 0, markerBytes, 0) === markerBytes && buffer.toString('utf8') === GENERATED_MARKER;
    } finally {
      closeSync(fd);
    }
  }

  private ancestorsUsable(folder: string): boolean {
    const parts = folder.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const path = parts.slice(0, i).join('/');
      let stat;
      try {
        stat = lstatSync(join(this.repoRoot, path));
      } catch {
        return false; // does not exist yet: nothing below it to list
      }
      if (stat.isSymbolicLink() || !stat.isDirectory()) {
        this.problems.push({ file: folder, problem: blocker(path, stat.isSymbolicLink() ? 'symlink' : 'file') });
        return false;
      }
      this.ancestors.add(path);
    }
    return true;
  }

  private walk(relative: string): void {
    if (this.excluded.has(relative)) return;
    const entries = new Map<string, EntryKind>();
    this.listings.set(relative, entries);
    const children: string[] = [];
    for (const entry of readdirSync(join(this.repoRoot, relative), { withFileTypes: true })) {
      const kind = kindOfDirent(entry);
      entries.set(entry.name, kind);
      if (kind === 'folder') children.push(`${relative}/${entry.name}`);
    }
    for (const child of children) this.walk(child);
  }
}

const markerBytes = Buffer.byteLength(GENERATED_MARKER);

function kindOfDirent(entry: Dirent): EntryKind {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'folder';
  if (entry.isSymbolicLink()) return 'symlink';
  return 'other';
}

function blocker(path: string, kind: EntryKind): string {
  if (kind === 'symlink') return `${path} is a symbolic link; synth never writes through a link (it could lead outside the repository): replace it with a real folder`;
  return `${path} is a file where synth needs a folder: move it away`;
}

/** Why a file synth would otherwise replace or delete is damaged, or undefined. */
export function ownedFileProblem(path: string, content: string): string | undefined {
  // CODEOWNERS is synth's one non-YAML file: only its header is checked.
  if (path === CODEOWNERS_FILE) return generatedHeaderProblem(content);
  if (!path.endsWith('.yaml')) return `it carries synth's header, but synth only writes .yaml files and ${CODEOWNERS_FILE}`;
  const header = generatedHeaderProblem(content);
  if (header) return header;
  const broken = parseAllDocuments(content).flatMap((document) => document.errors)[0];
  return broken ? `it carries synth's header but is not valid YAML (${broken.message.split('\n')[0]})` : undefined;
}
