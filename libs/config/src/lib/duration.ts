/**
 * A length of time, rendered the way Kubernetes and Flux expect Go durations (`1h30m`, `2m`, `45s`).
 *
 * Props take a `Duration` instead of a free string such as `"5m"`, so a typo fails at compile time.
 */
export class Duration {
  static seconds(amount: number): Duration {
    return new Duration(amount, 'seconds');
  }

  static minutes(amount: number): Duration {
    return new Duration(amount * 60, 'minutes');
  }

  static hours(amount: number): Duration {
    return new Duration(amount * 3600, 'hours');
  }

  private constructor(
    readonly totalSeconds: number,
    unit: string,
  ) {
    if (!Number.isInteger(totalSeconds) || totalSeconds < 0) {
      throw new Error(`duration must be a whole, non-negative number of seconds, got ${amountOf(totalSeconds, unit)}`);
    }
  }

  /** Go duration string: `Duration.minutes(90)` → `1h30m`, `Duration.seconds(0)` → `0s`. */
  toGoString(): string {
    if (this.totalSeconds === 0) return '0s';
    const hours = Math.floor(this.totalSeconds / 3600);
    const minutes = Math.floor((this.totalSeconds % 3600) / 60);
    const seconds = this.totalSeconds % 60;
    return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
  }

  toString(): string {
    return this.toGoString();
  }
}

function amountOf(seconds: number, unit: string): string {
  return `${seconds} seconds (from ${unit})`;
}
