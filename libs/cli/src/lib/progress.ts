export interface ProgressProps {
  /** Where the line goes (stderr). */
  readonly write: (text: string) => void;
  /** Only a terminal gets progress; pipes and CI logs stay clean. */
  readonly terminal: boolean;
  /** Quiet runs stay quiet: nothing is shown before this many ms. @default 2000 */
  readonly afterMs?: number;
  /** Milliseconds clock. @default performance.now */
  readonly now?: () => number;
}

/**
 * One self-overwriting status line on a terminal, shown only once a run has taken longer than
 * `afterMs` and redrawn at most ten times a second; `done()` erases it so the report stays clean.
 */
export class Progress {
  private readonly started: number;
  private readonly now: () => number;
  private readonly afterMs: number;
  private lastDrawn = Number.NEGATIVE_INFINITY;
  private shown = false;

  constructor(private readonly props: ProgressProps) {
    this.now = props.now ?? (() => performance.now());
    this.afterMs = props.afterMs ?? 2000;
    this.started = this.now();
  }

  /** `text` describes the current step, e.g. `checking cluster prod (70,000 objects)`. */
  update(text: string): void {
    if (!this.props.terminal) return;
    const now = this.now();
    const elapsed = now - this.started;
    if (elapsed < this.afterMs || now - this.lastDrawn < 100) return;
    this.lastDrawn = now;
    this.shown = true;
    this.props.write(`\r\u001b[2K${text} (${(elapsed / 1000).toFixed(1)} s)`);
  }

  done(): void {
    if (this.shown) this.props.write('\r\u001b[2K');
    this.shown = false;
  }
}
