import type { CommandIO } from '../lib/command';

/** A CommandIO that keeps what a command writes; `stdout()` and `stderr()` read it back. */
export type CapturedIO = CommandIO & { stdout(): string; stderr(): string };

/** The IO for one command run: `settings` (`cwd`, and `host` or `invocationDir` when a test needs them), output kept in memory. */
export function captureIo(settings: Omit<CommandIO, 'out' | 'err'>): CapturedIO {
  let out = '';
  let err = '';
  return {
    ...settings,
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    stdout: () => out,
    stderr: () => err,
  };
}
