import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeMissing, missingOptionalDependencies, type Lockfile } from './lockfile-complete';
import { repoRoot } from './testing';

const readLock = (): Lockfile & { packages: Record<string, Record<string, unknown>> } =>
  JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));

describe('package-lock.json', () => {
  it('records every optional dependency, for every platform, so npm ci accepts it anywhere', () => {
    const lock = readLock();
    const missing = missingOptionalDependencies(lock);
    expect(describeMissing(missing)).toBe('');
    // The check has something to check: the per-platform binaries of Nx, esbuild and TypeScript 7 are all there.
    const platformEntries = Object.entries(lock.packages).filter(([, entry]) => entry.os || entry.cpu);
    expect(platformEntries.length).toBeGreaterThan(40);
    for (const key of ['node_modules/@nx/nx-linux-x64-gnu', 'node_modules/@nx/nx-darwin-arm64', 'node_modules/@nx/nx-win32-x64-msvc', 'node_modules/@esbuild/linux-arm64', 'node_modules/@typescript/typescript-darwin-arm64', 'node_modules/@typescript/typescript-win32-x64']) {
      expect(lock.packages[key], key).toBeDefined();
    }
  });

  it.each(['@nx/nx-darwin-arm64', '@esbuild/win32-x64'])('fails, naming the package and the fix, when the %s entry is removed', (name) => {
    // GIVEN the real lockfile with one platform's binary dropped, as npm install on another platform may do
    const lock = readLock();
    expect(lock.packages[`node_modules/${name}`]).toBeDefined();
    delete lock.packages[`node_modules/${name}`];
    // WHEN checking it
    const missing = missingOptionalDependencies(lock);
    // THEN exactly that entry is reported, with its parent and the recorded siblings
    expect(missing.map((m) => m.name)).toEqual([name]);
    expect(missing[0]!.parent).toBe(name.startsWith('@nx/') ? 'node_modules/nx' : 'node_modules/esbuild');
    const message = describeMissing(missing);
    expect(message).toContain(`declares optional dependency ${name}, which has no "node_modules/${name}" entry`);
    expect(message).toMatch(/platform siblings are recorded: .*\(os \w+, cpu \w+\)/);
    expect(message).toContain('npm install --no-audit --no-fund');
  });

  it('resolves an optional dependency nested under its parent as Node would', () => {
    // GIVEN a parent whose optional dependency is nested under it rather than hoisted
    const lock: Lockfile = {
      lockfileVersion: 3,
      packages: {
        'node_modules/a': { optionalDependencies: { b: '1.0.0' } },
        'node_modules/a/node_modules/b': { version: '1.0.0', os: ['linux'] },
      },
    };
    expect(missingOptionalDependencies(lock)).toEqual([]);
  });

  it('refuses a lockfile without a packages map', () => {
    expect(() => missingOptionalDependencies({ lockfileVersion: 1 })).toThrow(/lockfileVersion 1 has no "packages" map/);
  });
});
