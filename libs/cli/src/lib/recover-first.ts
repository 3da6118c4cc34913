import { recoverInterruptedSynth } from '@flotilla/core';
import type { CommandIO } from './command';

/**
 * What every command that reads clusters/ does first: roll back a synth that was killed while writing,
 * and say so, so that no command ever reads (or passes) a half-written tree.
 */
export function recoverFirst(io: CommandIO, command: string): void {
  const notice = (message: string) => io.err(`${command}: ${message}\n`);
  const recovered = recoverInterruptedSynth(io.cwd, command, { notice });
  if (recovered) notice(recovered);
}
