/**
 * Schedule syntaxes as the controllers parse them: Kubernetes CronJob and Karpenter disruption
 * budgets use robfig/cron's standard parser (5 fields or a macro); EventBridge rules use
 * `cron(6 fields)` or `rate(n unit)`. Each function returns why the text is invalid, or undefined.
 */

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const STANDARD: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS },
];
const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

function value(text: string, spec: FieldSpec): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  return index < 0 ? undefined : index + (spec.name === 'month' ? 1 : 0);
}

/** Why one field (e.g. `1-5/2,10`) is invalid for its spec, or undefined. */
function fieldProblem(text: string, spec: FieldSpec, wildcards: readonly string[]): string | undefined {
  for (const part of text.split(',')) {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined || range === undefined || range === '') return `${spec.name} "${text}" is malformed`;
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) === 0)) return `${spec.name} step "${step}" must be a positive number`;
    if (wildcards.includes(range)) continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `${spec.name} "${range}" is malformed`;
    const numbers = bounds.map((bound) => value(bound, spec));
    for (let i = 0; i < bounds.length; i++) {
      const n = numbers[i];
      if (n === undefined) return `${spec.name} "${bounds[i]}" is not a number${spec.names ? ` or name (${spec.names.join(', ')})` : ''}`;
      if (n < spec.min || n > spec.max) return `${spec.name} ${bounds[i]} is out of range ${spec.min}-${spec.max}`;
    }
    if (numbers.length === 2 && numbers[0]! > numbers[1]!) return `${spec.name} range "${range}" runs backwards`;
  }
  return undefined;
}

/** A Kubernetes CronJob / Karpenter budget schedule (robfig/cron standard parser). */
export function cronProblem(schedule: string): string | undefined {
  const text = schedule.trim();
  if (/^(?:CRON_)?TZ=/.test(text)) return 'a time zone in the schedule is not supported; set spec.timeZone instead';
  if (text.startsWith('@')) {
    if (MACROS.has(text) || /^@every\s+\S+$/.test(text)) return undefined;
    return `unknown macro "${text}" (use ${[...MACROS].join(', ')} or 5 fields)`;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(fields[i]!, STANDARD[i]!, i === 2 || i === 4 ? ['*', '?'] : ['*']);
    if (problem) return problem;
  }
  return undefined;
}

const AWS_FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 1, max: 7, names: DAYS },
  { name: 'year', min: 1970, max: 2199 },
];

/** An EventBridge `cron(…)` or `rate(…)` schedule expression. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(expression.trim());
  if (rate) {
    const match = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(rate[1]!.trim());
    if (!match || Number(match[1]) === 0) return `rate "${rate[1]}" must be "<positive number> minute(s)|hour(s)|day(s)"`;
    if ((Number(match[1]) === 1) !== !match[2]!.endsWith('s')) return `rate "${rate[1]}" must use the singular unit for 1 and the plural otherwise`;
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  if (!cron) return 'must be cron(minutes hours day-of-month month day-of-week year) or rate(value unit)';
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6) return `cron() needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
  if ((fields[2] === '?') === (fields[4] === '?')) return 'exactly one of day-of-month and day-of-week must be "?"';
  for (let i = 0; i < 6; i++) {
    // EventBridge also allows L, W and # in the day fields.
    if ((i === 2 && /^(?:L|\d{1,2}W|LW)$/.test(fields[i]!)) || (i === 4 && /^(?:[1-7]|[A-Z]{3})(?:L|#[1-5])$/.test(fields[i]!))) continue;
    const problem = fieldProblem(fields[i]!, AWS_FIELDS[i]!, i === 2 || i === 4 ? ['*', '?'] : ['*']);
    if (problem) return problem;
  }
  return undefined;
}
