import { formatFinding, type Finding } from '@flotilla/model';

/**
 * A synth failure the user can act on: printed without a stack trace.
 *
 * `code` is stable so tests and docs can cite it.
 */
export class SynthError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly findings: readonly Finding[] = [],
  ) {
    super(message);
    this.name = 'SynthError';
  }

  /** Message plus one line per finding. */
  describe(): string {
    const lines = this.findings.map((finding) => `  ${formatFinding(finding)}`);
    return [this.message, ...lines].join('\n');
  }
}
