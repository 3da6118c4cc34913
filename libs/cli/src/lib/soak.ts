import { execFile } from 'node:child_process';
import { UsageError } from './command';

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;

/** Parses `2d`, `24h`, `1h30m`, `45m` into milliseconds. */
export function parseSoak(text: string): number {
  const match = DURATION.exec(text);
  if (!match || text === '') throw new UsageError(`--min-soak ${text} is not a duration; use days, hours and minutes, e.g. 24h, 2d or 1h30m`);
  const [days, hours, minutes] = [match[1], match[2], match[3]].map((part) => Number(part ?? 0));
  return ((days * 24 + hours) * 60 + minutes) * 60_000;
}

/** Human form of a length of time: `3d 4h`, `2h 5m`, `12m`. */
export function formatSoak(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  return [d ? `${d}d` : '', h ? `${h}h` : '', m || (!d && !h) ? `${m}m` : ''].filter(Boolean).join(' ');
}

/**
 * When a line of a file got its current content, from `git blame` of the working tree: the
 * commit time of the commit that last changed it, or undefined when the line is not committed yet.
 */
export function committedAt(repoRoot: string, file: string, line: number): Promise<Date | undefined> {
  return new Promise((resolve, reject) => {
    execFile('git', ['blame', '--porcelain', '-L', `${line},${line}`, '--', file], { cwd: repoRoot }, (error, stdout) => {
      if (error) {
        reject(new UsageError(`cannot measure the soak time of ${file}:${line}: git blame failed (${error.message.trim()}); --min-soak needs the pins file in a git repository`, 1));
        return;
      }
      const [sha] = stdout.split(' ', 1);
      const time = /^committer-time (\d+)$/m.exec(stdout)?.[1];
      resolve(/^0+$/.test(sha ?? '') || !time ? undefined : new Date(Number(time) * 1000));
    });
  });
}
