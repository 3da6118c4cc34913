import { describe, expect, it } from 'vitest';
import { FleetConfigError } from './fleet';
import { chartPinProblem, defineChartReleases, parseChartPin } from './chart-releases';
import { clusterRelease, mutableReferenceExceptionProblems } from './mutable-references';
import { defineReleases, digestPinProblem } from './release-pins';
import { defineStages } from './stages';

const DIGEST = 'a'.repeat(64);

describe('stages', () => {
  it('keeps the promotion order and names the stages between two', () => {
    const stages = defineStages(['dev', 'staging', 'prod']);
    expect(stages.between('dev', 'prod')).toEqual(['staging']);
    expect(stages.between('dev', 'staging')).toEqual([]);
    expect(stages.has('qa')).toBe(false);
  });

  it('rejects a stage listed twice, naming it', () => {
    expect(() => defineStages(['dev', 'dev'])).toThrow(/'dev' is listed twice/);
  });
});

describe('release pins', () => {
  const stages = defineStages(['dev', 'prod']);

  it('accepts digest pins with or without a tag and registry host', () => {
    expect(digestPinProblem(`dj/http-echo:1.0.0@sha256:${DIGEST}`)).toBeUndefined();
    expect(digestPinProblem(`public.ecr.aws/nginx/nginx@sha256:${DIGEST}`)).toBeUndefined();
    expect(digestPinProblem(`localhost:5000/a/b:1@sha256:${DIGEST}`)).toBeUndefined();
  });

  it('rejects a tag without a digest and a malformed digest, saying how to pin', () => {
    expect(digestPinProblem('dj/http-echo:1.0.0')).toMatch(/has no digest; pin it as <repository>\[:tag\]@sha256:<64 hex digits>/);
    expect(digestPinProblem('dj/http-echo@sha256:abc')).toMatch(/malformed digest 'abc'/);
  });

  it('requires every stage to pin the same units and pins, by digest', () => {
    const pins = { dev: { api: { image: `a/b:1@sha256:${DIGEST}` } }, prod: { api: { image: 'a/b:1' }, web: { image: `a/c@sha256:${DIGEST}` } } };
    const error = (() => {
      try {
        defineReleases(stages, pins as never);
      } catch (caught) {
        return caught as FleetConfigError;
      }
      throw new Error('expected a FleetConfigError');
    })();
    expect(error).toBeInstanceOf(FleetConfigError);
    expect(error.problems).toEqual([
      "releases: prod.api.image: image 'a/b:1' has no digest; pin it as <repository>[:tag]@sha256:<64 hex digits> (e.g. 'crane digest a/b:1' prints it)",
      "releases: stage 'prod' pins web.image that 'dev' does not; every stage pins the same units and names",
    ]);
    expect(defineReleases(stages, { dev: pins.dev, prod: pins.dev }).of('prod')).toBe(pins.dev);
  });
});

describe('immutable stages, chart pins and the reviewed exceptions', () => {
  const stages = defineStages(['dev', 'prod'], { immutable: ['prod'] });

  it('marks the listed stages immutable and lets the others float', () => {
    expect(stages.isImmutable('prod')).toBe(true);
    expect(stages.isImmutable('dev')).toBe(false);
    expect(defineStages(['dev']).immutable).toEqual([]);
  });

  it('rejects an immutable stage that is not a stage', () => {
    expect(() => defineStages(['dev', 'prod'], { immutable: ['prd' as 'prod'] })).toThrow(/'immutable' names 'prd', which is not a stage/);
  });

  it('accepts exact chart versions with an optional digest, and rejects ranges and missing stages', () => {
    expect(parseChartPin(`1.14.1@sha256:${DIGEST}`)).toEqual({ version: '1.14.1', digest: `sha256:${DIGEST}` });
    expect(parseChartPin('v2.6.0')).toEqual({ version: 'v2.6.0' });
    expect(chartPinProblem('~1.14')).toMatch(/is not an exact version/);
    expect(() => defineChartReleases(stages, { dev: { karpenter: { karpenter: '1.14.1' } }, prod: { karpenter: { karpenter: '>=1.14' } } })).toThrow(/chart releases: prod\.karpenter\.karpenter: chart pin '>=1\.14' is not an exact version/);
    expect(() => defineChartReleases(stages, { dev: { karpenter: { karpenter: '1.14.1' } }, prod: {} as Record<'karpenter', Record<string, string>> })).toThrow(/stage 'prod' pins no karpenter\.karpenter/);
  });

  it('checks each exception: a reason, a GitHub reviewer and a day as expiry', () => {
    expect(mutableReferenceExceptionProblems([{ reference: 'oci://x/y:1', reason: 'unsigned upstream, digest unknown offline', reviewedBy: '@org/platform', expires: '2027-01-31' }])).toEqual([]);
    expect(mutableReferenceExceptionProblems([{ reference: 'oci://x/y:1', reason: 'because', reviewedBy: 'someone', expires: '31.01.2027' }])).toEqual([
      "mutableReferenceExceptions[0] ('oci://x/y:1'): 'reason' must say why the reference cannot be pinned yet and what would fix it (at least 20 characters)",
      "mutableReferenceExceptions[0] ('oci://x/y:1'): 'reviewedBy' must be the GitHub user '@user' or team '@org/team' who accepted it, got 'someone'",
      "mutableReferenceExceptions[0] ('oci://x/y:1'): 'expires' must be a day 'YYYY-MM-DD', got '31.01.2027'",
    ]);
  });

  it('gives each cluster of a fleet its stage, immutability and chart pins', () => {
    const charts = defineChartReleases(stages, { dev: { karpenter: { karpenter: '1.14.2' } }, prod: { karpenter: { karpenter: '1.14.1' } } });
    const releases = { stages, charts, mutableReferenceExceptions: [] };
    expect(clusterRelease(releases, 'prod')).toEqual({ stage: 'prod', immutable: true, charts: { karpenter: { karpenter: '1.14.1' } }, exceptions: [] });
    expect(clusterRelease(undefined, 'prod')).toBeUndefined();
  });
});
