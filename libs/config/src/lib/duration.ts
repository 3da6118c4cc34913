import { Duration } from 'cdk8s';

/**
 * A length of time: cdk8s's `Duration`, the one class every prop takes (`Duration.minutes(5)` instead of a free
 * string such as `"5m"`, so a typo fails at compile time). Negative amounts fail when created.
 */
export { Duration };

/**
 * The Go duration string Kubernetes and Flux expect: `Duration.minutes(90)` → `1h30m`, `Duration.seconds(0)` → `0s`.
 *
 * @throws when the duration is not a whole number of seconds
 */
export function goDuration(duration: Duration): string {
  const total = duration.toSeconds({ integral: false });
  if (!Number.isInteger(total)) throw new Error(`duration ${duration.toHumanString()} is not a whole number of seconds; Go durations here count whole seconds`);
  if (total === 0) return '0s';
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
}
