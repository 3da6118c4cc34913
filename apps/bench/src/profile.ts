import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A V8 CPU profile as `node --cpu-prof` writes it. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Self time by function (`name (module:line)`). */
  readonly functions: ProfileEntry[];
  /** Self time by module: npm package, workspace project (through the bundle's source map), or a V8 bucket. */
  readonly modules: ProfileEntry[];
}

/**
 * Self time per function and per module of a `.cpuprofile`. Workspace code runs from one esbuild
 * bundle (dist/flotilla/cli.mjs); its inline source map attributes each frame to its project.
 */
export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const maps = new Map<string, SourceMap | null>();
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0;
    if (micros === 0) continue;
    total += micros;
    const { module, where } = locate(node.callFrame, maps);
    const name = `${node.callFrame.functionName || '(anonymous)'}${where ? ` (${where})` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    byModule.set(module, (byModule.get(module) ?? 0) + micros);
  }
  const rank = (map: Map<string, number>): ProfileEntry[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, ms: micros / 1000, share: micros / total }));
  return { totalMs: total / 1000, functions: rank(byFunction), modules: rank(byModule) };
}

function locate(frame: CpuProfile['nodes'][number]['callFrame'], maps: Map<string, SourceMap | null>): { module: string; where: string } {
  const { url, lineNumber, columnNumber, functionName } = frame;
  // Frames without a script are V8 buckets ('(garbage collector)', '(program)') or native bindings (fs writes).
  if (!url) {
    // ajv's generated validators are compiled with new Function and have no script url.
    if (/^validate\d+$/.test(functionName)) return { module: 'ajv (generated validators)', where: '' };
    if (functionName.startsWith('RegExp:')) return { module: 'RegExp (V8)', where: '' };
    return { module: functionName.startsWith('(') ? functionName : 'native bindings (fs, …)', where: '' };
  }
  if (url.startsWith('node:')) return { module: 'node (built-ins)', where: url.slice(5) };
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (packageMatch) return { module: packageMatch[1]!, where: `${packageMatch[1]}/${packageMatch[2]}:${lineNumber + 1}` };
  if (url.endsWith('/dist/flotilla/cli.mjs')) {
    const map = sourceMapOf(url, maps);
    const entry = map?.findEntry(lineNumber, columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
    if (entry?.originalSource) {
      const source = entry.originalSource.replace(/^.*?\/((?:libs|charts|apps|tools)\/.*)$/, '$1');
      const project = /^((?:libs|charts|apps|tools)\/[^/]+)/.exec(source)?.[1] ?? source;
      return { module: project.startsWith('charts/workloads/bench-app-') ? 'charts/workloads/bench-app-*' : project, where: `${source}:${(entry.originalLine ?? 0) + 1}` };
    }
    return { module: 'dist/flotilla/cli.mjs', where: `cli.mjs:${lineNumber + 1}` };
  }
  const local = /\/((?:libs|charts|apps|tools)\/[^/]+)\/(.*)$/.exec(url);
  if (local) return { module: local[1]!, where: `${local[1]}/${local[2]}:${lineNumber + 1}` };
  return { module: url, where: `${url}:${lineNumber + 1}` };
}

function sourceMapOf(url: string, maps: Map<string, SourceMap | null>): SourceMap | null {
  if (!maps.has(url)) {
    let map: SourceMap | null = null;
    try {
      const text = readFileSync(url.startsWith('file:') ? fileURLToPath(url) : url, 'utf8');
      const inline = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(text);
      if (inline) map = new SourceMap(JSON.parse(Buffer.from(inline[1]!, 'base64').toString('utf8')) as SourceMapPayload);
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return maps.get(url) ?? null;
}
