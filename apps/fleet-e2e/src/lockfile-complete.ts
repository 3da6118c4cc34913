/**
 * Checks that package-lock.json records every optional dependency of every locked package, so
 * `npm ci` accepts it on every platform. npm only installs the platform binaries (os/cpu/libc) that
 * match the machine, and an `npm install` on one platform may drop the others' entries: then
 * `npm ci` elsewhere refuses the lockfile, and `npm install` rewrites it.
 */

/** The parts of a lockfile v3 entry this check reads. */
interface LockedPackage {
  readonly version?: string;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly os?: readonly string[];
  readonly cpu?: readonly string[];
}

export interface Lockfile {
  readonly lockfileVersion?: number;
  readonly packages?: Readonly<Record<string, LockedPackage>>;
}

export interface MissingOptional {
  /** The lockfile key of the package that declares the dependency (`''` is the root project). */
  readonly parent: string;
  readonly name: string;
  /** Platform-specific siblings the lockfile does have, e.g. `@nx/nx-linux-x64-gnu (os linux, cpu x64)`. */
  readonly platformSiblings: readonly string[];
}

/** Where Node would find `name` from the package at `parent`: its own node_modules, then each ancestor's. */
export function resolveLocked(packages: Readonly<Record<string, LockedPackage>>, parent: string, name: string): string | undefined {
  let base = parent;
  for (;;) {
    const key = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[key]) return key;
    if (!base) return undefined;
    const at = base.lastIndexOf('/node_modules/');
    base = at < 0 ? '' : base.slice(0, at);
  }
}

function platformOf(entry: LockedPackage): string {
  return [entry.os ? `os ${entry.os.join('|')}` : '', entry.cpu ? `cpu ${entry.cpu.join('|')}` : ''].filter(Boolean).join(', ');
}

/** Every optional dependency that has no lockfile entry Node could resolve it to. */
export function missingOptionalDependencies(lock: Lockfile): MissingOptional[] {
  if (lock.lockfileVersion === undefined || lock.lockfileVersion < 2 || !lock.packages) {
    throw new Error(`package-lock.json: lockfileVersion ${String(lock.lockfileVersion)} has no "packages" map; regenerate it with npm 7 or later`);
  }
  const packages = lock.packages;
  const missing: MissingOptional[] = [];
  for (const [parent, entry] of Object.entries(packages)) {
    const names = Object.keys(entry.optionalDependencies ?? {});
    const found = names.map((name) => [name, resolveLocked(packages, parent, name)] as const);
    const platformSiblings = found.flatMap(([name, key]) => (key && platformOf(packages[key]!) ? [`${name} (${platformOf(packages[key]!)})`] : []));
    for (const [name, key] of found) if (!key) missing.push({ parent, name, platformSiblings });
  }
  return missing;
}

/** One line per missing entry, with the fix. */
export function describeMissing(missing: readonly MissingOptional[]): string {
  const lines = missing.map(
    ({ parent, name, platformSiblings }) =>
      `package-lock.json: ${parent || 'the root project'} declares optional dependency ${name}, which has no "node_modules/${name}" entry` +
      (platformSiblings.length > 0 ? ` (its platform siblings are recorded: ${platformSiblings.slice(0, 2).join(', ')}${platformSiblings.length > 2 ? ', …' : ''})` : ''),
  );
  if (lines.length > 0) {
    lines.push(
      'fix: the lockfile lost other platforms\' binaries; run "rm -rf node_modules package-lock.json && npm install --no-audit --no-fund" (npm 11 then records every platform) and commit package-lock.json',
    );
  }
  return lines.join('\n');
}
