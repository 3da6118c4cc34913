import { describe, expect, it } from 'vitest';
import { Progress } from './progress';

describe('Progress', () => {
  const run = (terminal: boolean, times: number[]) => {
    let out = '';
    let t = 0;
    const progress = new Progress({ write: (text) => (out += text), terminal, now: () => t });
    for (const time of times) {
      t = time;
      progress.update(`step at ${time}`);
    }
    progress.done();
    return out;
  };

  it('stays silent for runs shorter than 2 s', () => {
    expect(run(true, [10, 500, 1999])).toBe('');
  });

  it('shows a self-overwriting line on a terminal once a run passes 2 s, at most every 100 ms, and erases it at the end', () => {
    const out = run(true, [1000, 2100, 2150, 2300]);
    expect(out).toBe('\r\u001b[2Kstep at 2100 (2.1 s)\r\u001b[2Kstep at 2300 (2.3 s)\r\u001b[2K');
  });

  it('never writes when stderr is not a terminal', () => {
    expect(run(false, [3000, 9000])).toBe('');
  });
});
