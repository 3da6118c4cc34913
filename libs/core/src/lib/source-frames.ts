import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A place in the repository's TypeScript sources. */
export interface SourceFrame {
  /** Path relative to the repository root, e.g. `charts/workloads/team-a-web/src/lib/team-a-web.ts`. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

const FRAME = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+):(\d+)\)?\s*$/;
const maps = new Map<string, SourceMap | undefined>();

function sourceMapOf(file: string): SourceMap | undefined {
  if (!maps.has(file)) {
    const mapFile = `${file}.map`;
    maps.set(file, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined);
  }
  return maps.get(file);
}

/**
 * The frames of an error's stack that lie in the repository's own sources, mapped through the
 * bundle's source map (the CLI runs dist/flotilla/cli.mjs) back to TypeScript, innermost first.
 * Frames in node_modules and Node's internals are dropped.
 */
export function sourceFrames(error: unknown, repoRoot: string): SourceFrame[] {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  const frames: SourceFrame[] = [];
  for (const line of stack.split('\n').slice(1)) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    let file = match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1];
    let lineNo = Number(match[2]);
    let column = Number(match[3]);
    const map = /\.m?js$/.test(file) ? sourceMapOf(file) : undefined;
    if (map) {
      const entry = map.findEntry(lineNo - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
      if (!entry.originalSource) continue;
      const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : entry.originalSource;
      file = isAbsolute(source) ? source : resolve(dirname(file), source);
      lineNo = (entry.originalLine ?? 0) + 1;
      column = (entry.originalColumn ?? 0) + 1;
    }
    const path = relative(repoRoot, file);
    if (path.startsWith('..') || isAbsolute(path) || path.includes('node_modules')) continue;
    frames.push({ file: path, line: lineNo, column });
  }
  return frames;
}

/**
 * The frame a user should look at: the innermost one in a unit library or the fleet application
 * (`charts/`, `apps/`), which is where the value that failed was passed; the engine and construct
 * libraries (`libs/`) only report it.
 */
export function userFrame(frames: readonly SourceFrame[]): SourceFrame | undefined {
  return frames.find((frame) => frame.file.startsWith('charts/') || frame.file.startsWith('apps/'));
}

/**
 * The frame that called into the unit and construct libraries: the first one, counted from the
 * innermost, outside `libs/` and `charts/`. For the stack captured when a unit factory ran, that is
 * the fleet config line that created the unit (e.g. `apps/fleet/src/lib/platform/tenants.ts`).
 */
export function callerFrame(frames: readonly SourceFrame[]): SourceFrame | undefined {
  return frames.find((frame) => !frame.file.startsWith('libs/') && !frame.file.startsWith('charts/'));
}

export function formatFrame(frame: SourceFrame): string {
  return `${frame.file}:${frame.line}:${frame.column}`;
}
