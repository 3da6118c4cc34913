import { describe, expect, it } from 'vitest';
import { FleetConfigError } from './fleet';
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
