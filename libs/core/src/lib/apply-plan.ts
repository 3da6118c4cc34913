import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listOwnedFiles } from './owned-files';
import type { RenderPlan } from './render-plan';

/** How the working tree differs from a render. */
export interface TreeDrift {
  /** Files the render would create. */
  readonly missing: string[];
  /** Files whose content differs. */
  readonly changed: string[];
  /** Owned files the render no longer produces. */
  readonly stale: string[];
}

export function driftCount(drift: TreeDrift): number {
  return drift.missing.length + drift.changed.length + drift.stale.length;
}

/** Compares the plan with the tree without writing anything. */
export function compareWithTree(repoRoot: string, plan: RenderPlan, extraManaged: readonly string[] = []): TreeDrift {
  const drift: TreeDrift = { missing: [], changed: [], stale: [] };
  for (const [file, content] of [...plan.files].sort(([a], [b]) => a.localeCompare(b))) {
    const absolute = join(repoRoot, file);
    if (!existsSync(absolute)) drift.missing.push(file);
    else if (readFileSync(absolute, 'utf8') !== content) drift.changed.push(file);
  }
  for (const file of listOwnedFiles(repoRoot, [...plan.managedFolders, ...extraManaged], plan.excludedFolders)) {
    if (!plan.files.has(file)) drift.stale.push(file);
  }
  return drift;
}

/**
 * Writes the plan and removes stale owned files, all or nothing: every file touched is backed up
 * first, and any failure restores the tree exactly as it was before rethrowing.
 */
export function applyPlan(repoRoot: string, plan: RenderPlan, drift: TreeDrift): void {
  const touched = [...drift.missing, ...drift.changed, ...drift.stale];
  const backups = new Map<string, string | undefined>();
  for (const file of touched) {
    const absolute = join(repoRoot, file);
    backups.set(file, existsSync(absolute) ? readFileSync(absolute, 'utf8') : undefined);
  }
  const createdDirs: string[] = [];
  try {
    for (const file of [...drift.missing, ...drift.changed].sort()) {
      const absolute = join(repoRoot, file);
      createdDirs.push(...ensureDir(dirname(absolute)));
      // Write beside, then rename: a reader never sees half a file.
      const temporary = `${absolute}.flotilla-tmp`;
      writeFileSync(temporary, plan.files.get(file)!);
      renameSync(temporary, absolute);
    }
    for (const file of drift.stale) {
      rmSync(join(repoRoot, file));
      removeEmptyParents(repoRoot, dirname(file));
    }
  } catch (error) {
    restore(repoRoot, backups, createdDirs);
    throw error;
  }
}

function restore(repoRoot: string, backups: Map<string, string | undefined>, createdDirs: string[]): void {
  for (const [file, content] of backups) {
    const absolute = join(repoRoot, file);
    // The temp file may sit under whatever made the write fail; that must not stop the restore.
    if (existsSync(`${absolute}.flotilla-tmp`)) rmSync(`${absolute}.flotilla-tmp`);
    if (content === undefined) {
      if (existsSync(absolute) && statSync(absolute).isFile()) rmSync(absolute);
    } else {
      mkdirSync(dirname(absolute), { recursive: true });
      writeFileSync(absolute, content);
    }
  }
  for (const dir of createdDirs.reverse()) {
    if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  }
}

/** mkdir -p that reports which folders it created, so a rollback can remove them. */
function ensureDir(dir: string): string[] {
  const created: string[] = [];
  let current = dir;
  while (!existsSync(current)) {
    created.unshift(current);
    current = dirname(current);
  }
  for (const folder of created) mkdirSync(folder);
  return created;
}

function removeEmptyParents(repoRoot: string, relativeDir: string): void {
  let current = relativeDir;
  while (current.includes('/')) {
    const absolute = join(repoRoot, current);
    if (!existsSync(absolute) || readdirSync(absolute).length > 0) return;
    rmdirSync(absolute);
    current = dirname(current);
  }
}
