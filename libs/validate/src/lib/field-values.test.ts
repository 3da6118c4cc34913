import { describe, expect, it } from 'vitest';
import { isConditionOperator, policyProblems } from './iam-policy';
import { cronProblem, scheduleExpressionProblem } from './schedules';
import { versionProblem } from './field-values';

describe('IAM policy grammar', () => {
  it('accepts condition operators with IfExists and set prefixes, and rejects made-up ones', () => {
    for (const op of ['StringEquals', 'ForAllValues:StringLike', 'ForAnyValue:ArnLikeIfExists', 'NumericLessThanEqualsIfExists', 'Null', 'Bool']) expect(isConditionOperator(op), op).toBe(true);
    for (const op of ['StringEqual', 'ForSomeValues:StringLike', 'NullIfExists', 'stringequals']) expect(isConditionOperator(op), op).toBe(false);
  });

  it('needs Principal in a trust policy and forbids it in an identity policy', () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Resource: '*' }] });
    expect(policyProblems(trust, 'trust').map((p) => p.message)).toEqual(['needs Principal or NotPrincipal', 'a trust policy must not have Resource']);
    const identity = JSON.stringify({ Version: '2012-10-17', Statement: { Sid: 'a-b', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'bucket/*' } });
    expect(policyProblems(identity, 'identity').map((p) => `${p.path}: ${p.message}`)).toEqual([
      'Statement.Sid: must contain only letters and digits, got "a-b"',
      'Statement.Resource: "bucket/*" must be an ARN (arn:…) or "*"',
      'Statement.Principal: an identity policy must not have Principal',
    ]);
  });

  it('rejects an unknown Version and duplicate Sids', () => {
    const doc = JSON.stringify({ Version: '2012-10-18', Statement: [{ Sid: 'A', Effect: 'Deny', Action: '*', Resource: '*' }, { Sid: 'A', Effect: 'Deny', NotAction: 'iam:*', Resource: '*' }] });
    expect(policyProblems(doc, 'identity').map((p) => p.path)).toEqual(['Version', 'Statement[1].Sid']);
  });
});

describe('schedules', () => {
  it('checks the five cron fields, names, ranges, steps and macros as robfig/cron does', () => {
    for (const ok of ['*/5 * * * *', '0 8 * * mon-fri', '0 0 1 jan,jul *', '@daily', '@every 1h30m', '15 3 ? * 0']) expect(cronProblem(ok), ok).toBeUndefined();
    expect(cronProblem('0 25 * * *')).toBe('hour 25 is out of range 0-23');
    expect(cronProblem('0 0 * * 7')).toBe('day of week 7 is out of range 0-6');
    expect(cronProblem('*/0 * * * *')).toBe('minute step "0" must be a positive number');
    expect(cronProblem('0 0 * *')).toMatch(/expected 5 fields/);
    expect(cronProblem('TZ=UTC 0 0 * * *')).toMatch(/spec.timeZone/);
  });

  it('checks EventBridge cron() and rate() expressions', () => {
    for (const ok of ['rate(1 hour)', 'rate(5 minutes)', 'cron(0 12 * * ? *)', 'cron(15 10 ? * 6L 2026)', 'cron(0 8 ? * MON-FRI *)']) expect(scheduleExpressionProblem(ok), ok).toBeUndefined();
    expect(scheduleExpressionProblem('rate(1 hours)')).toMatch(/singular/);
    expect(scheduleExpressionProblem('cron(0 12 * * * *)')).toMatch(/exactly one of day-of-month and day-of-week/);
    expect(scheduleExpressionProblem('cron(0 12 * * ?)')).toMatch(/6 fields/);
  });
});

describe('chart versions', () => {
  it('accepts versions and ranges Flux accepts, rejects latest and garbage', () => {
    for (const ok of ['1.2.3', '>=1.2.0 <2.0.0', '>= 1.2, < 3.0', '1.2.x', '~1.2', '^1.2.3', '*', 'v1.2.3']) expect(versionProblem(ok), ok).toBeUndefined();
    expect(versionProblem('latest')).toMatch(/"latest" is not a version/);
    expect(versionProblem('>=1.14 <<2')).toMatch(/not a valid semver/);
  });
});
