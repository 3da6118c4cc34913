import { validRange } from 'semver';
import { apiGroupOf, findingFor, type Finding, type RenderedObject } from '@flotilla/model';
import { field, listOf } from './cluster-index';
import { policyProblems, type PolicyKind } from './iam-policy';
import { checkPodSpecs } from './pod-specs';
import { cronProblem, scheduleExpressionProblem } from './schedules';

/** Why a Flux chart version / semver constraint is unusable, or undefined (Flux parses them with Masterminds semver). */
export function versionProblem(version: string): string | undefined {
  if (/^latest$/i.test(version.trim())) return '"latest" is not a version or range: Flux cannot resolve it and the release never installs';
  // Masterminds separates AND-ed constraints with commas, node-semver with spaces.
  if (validRange(version.replace(/,/g, ' ')) === null) return `"${version}" is not a valid semver version or range`;
  return undefined;
}

interface ValueCheck {
  readonly segments: readonly string[];
  readonly value: string;
  readonly code: string;
  readonly problem: string | undefined;
  readonly fix: string;
}

const VERSION_FIX = 'pin an exact chart version (e.g. 1.2.3) or a valid range (e.g. ">=1.2.0 <2.0.0", "1.2.x", "~1.2")';
const CRON_FIX = 'use 5 fields: minute (0-59) hour (0-23) day-of-month (1-31) month (1-12) day-of-week (0-6), or a macro like @daily';

function policyChecks(value: unknown, segments: string[], kind: PolicyKind): ValueCheck[] {
  if (typeof value !== 'string') return [];
  return policyProblems(value, kind).map((problem) => ({
    segments,
    value,
    code: 'iam/invalid-policy',
    problem: `${kind === 'trust' ? 'trust policy' : 'policy'}${problem.path ? ` ${problem.path}` : ''} ${problem.message}`,
    fix: 'fix the policy document to the IAM grammar (Version "2012-10-17", Statement with Effect, Action/NotAction, Resource/NotResource or, in a trust policy, Principal)',
  }));
}

const inlinePolicies = (map: unknown, base: string[]): ValueCheck[] =>
  map && typeof map === 'object' && !Array.isArray(map) ? Object.entries(map).flatMap(([name, doc]) => policyChecks(doc, [...base, name], 'identity')) : [];

/** The checked string fields of one object. */
function valueChecks(rendered: RenderedObject): ValueCheck[] {
  const { object } = rendered;
  const group = apiGroupOf(object.apiVersion);
  const spec = object.spec;
  const at = (...segments: string[]) => field<unknown>(spec, ...segments);
  const checks: ValueCheck[] = [];
  const text = (segments: string[], code: string, check: (value: string) => string | undefined, fix: string) => {
    const value = field<unknown>(object, ...segments);
    if (typeof value === 'string') checks.push({ segments, value, code, problem: check(value), fix });
  };
  switch (`${group}/${object.kind}`) {
    case 'batch/CronJob':
      text(['spec', 'schedule'], 'cron/invalid-schedule', cronProblem, CRON_FIX);
      break;
    case 'karpenter.sh/NodePool':
      listOf(at('disruption', 'budgets')).forEach((_, i) => text(['spec', 'disruption', 'budgets', String(i), 'schedule'], 'cron/invalid-schedule', cronProblem, CRON_FIX));
      break;
    case 'eventbridge.services.k8s.aws/Rule':
    case 'cloudwatchevents.aws.upbound.io/Rule':
    case 'cloudwatchevents.aws.m.upbound.io/Rule': {
      const base = group === 'eventbridge.services.k8s.aws' ? ['spec'] : ['spec', 'forProvider'];
      text([...base, 'scheduleExpression'], 'cron/invalid-schedule', scheduleExpressionProblem, 'use cron(minutes hours day-of-month month day-of-week year) with one "?" day field, or rate(5 minutes)');
      break;
    }
    case 'helm.toolkit.fluxcd.io/HelmRelease': {
      // Versions of charts from Git or a Bucket are ignored by Flux.
      const source = at('chart', 'spec', 'sourceRef', 'kind');
      if (source === undefined || source === 'HelmRepository') text(['spec', 'chart', 'spec', 'version'], 'flux/invalid-version', versionProblem, VERSION_FIX);
      break;
    }
    case 'source.toolkit.fluxcd.io/HelmChart':
      if (at('sourceRef', 'kind') === 'HelmRepository') text(['spec', 'version'], 'flux/invalid-version', versionProblem, VERSION_FIX);
      break;
    case 'source.toolkit.fluxcd.io/OCIRepository':
      text(['spec', 'ref', 'semver'], 'flux/invalid-version', versionProblem, 'use a valid semver range (e.g. ">=1.2.0 <2.0.0") or pin spec.ref.tag / spec.ref.digest');
      break;
    case 'iam.services.k8s.aws/Role':
      checks.push(...policyChecks(at('assumeRolePolicyDocument'), ['spec', 'assumeRolePolicyDocument'], 'trust'), ...inlinePolicies(at('inlinePolicies'), ['spec', 'inlinePolicies']));
      break;
    case 'iam.services.k8s.aws/User':
    case 'iam.services.k8s.aws/Group':
      checks.push(...inlinePolicies(at('inlinePolicies'), ['spec', 'inlinePolicies']));
      break;
    case 'iam.services.k8s.aws/Policy':
      checks.push(...policyChecks(at('policyDocument'), ['spec', 'policyDocument'], 'identity'));
      break;
    default:
      if (/^iam\.aws(?:\.m)?\.upbound\.io$/.test(group)) {
        for (const block of ['forProvider', 'initProvider']) {
          if (object.kind === 'Role') {
            checks.push(...policyChecks(at(block, 'assumeRolePolicy'), ['spec', block, 'assumeRolePolicy'], 'trust'));
            listOf(at(block, 'inlinePolicy')).forEach((entry, i) => checks.push(...policyChecks(field(entry, 'policy'), ['spec', block, 'inlinePolicy', String(i), 'policy'], 'identity')));
          }
          if (['Policy', 'RolePolicy', 'UserPolicy', 'GroupPolicy'].includes(object.kind)) checks.push(...policyChecks(at(block, 'policy'), ['spec', block, 'policy'], 'identity'));
        }
      }
  }
  return checks;
}

function pathOf(segments: readonly string[]): string {
  return segments.map((segment, i) => (/^\d+$/.test(segment) ? `[${segment}]` : /^[A-Za-z_$][\w$-]*$/.test(segment) ? `${i ? '.' : ''}${segment}` : `[${JSON.stringify(segment)}]`)).join('');
}

/**
 * Values the schema accepts as strings but a controller parses: Flux chart versions and semver
 * ranges, cron and EventBridge schedules, IAM policy documents of ACK and Crossplane objects; and
 * pod spec consistency (container and port names, probe ports).
 */
export function checkFieldValues(objects: readonly RenderedObject[]): Finding[] {
  const findings: Finding[] = checkPodSpecs(objects);
  for (const rendered of objects) {
    if (!rendered.object.spec || typeof rendered.object.spec !== 'object') continue;
    for (const check of valueChecks(rendered)) {
      if (!check.problem) continue;
      findings.push(findingFor(rendered, { severity: 'error', code: check.code, path: pathOf(check.segments), message: check.problem, fix: check.fix }));
    }
  }
  return findings;
}
