import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real mount for a test, or why there is none (not root, no mount(8), a container without the capability). */
export type Mounted = { readonly dir: string; unmount(): void } | { readonly reason: string };

/** A fresh tmpfs of `size` (e.g. '256k'): a real ENOSPC when it fills. */
export function mountTmpfs(size: string): Mounted {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmdirSync(dir);
    return { reason: `mount -t tmpfs failed (${((error as { stderr?: Buffer }).stderr ?? '').toString().trim() || (error as Error).message})` };
  }
  return { dir, unmount: () => unmount(dir, true) };
}

/** Bind-mounts `dir` onto itself read-only: writes below it fail with EROFS, even for root. */
export function bindReadOnly(dir: string): Mounted {
  try {
    execFileSync('mount', ['--bind', dir, dir], { stdio: 'pipe' });
  } catch (error) {
    return { reason: `mount --bind failed (${((error as { stderr?: Buffer }).stderr ?? '').toString().trim() || (error as Error).message})` };
  }
  try {
    execFileSync('mount', ['-o', 'remount,ro,bind', dir], { stdio: 'pipe' });
  } catch (error) {
    unmount(dir, false);
    return { reason: `mount -o remount,ro,bind failed (${(error as Error).message})` };
  }
  return { dir, unmount: () => unmount(dir, false) };
}

function unmount(dir: string, remove: boolean): void {
  execFileSync('umount', [dir], { stdio: 'pipe' });
  if (remove) rmdirSync(dir);
}
