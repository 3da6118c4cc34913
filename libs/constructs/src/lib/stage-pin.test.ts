import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CHART_PINS_CONTEXT, type ChartPinsContext } from '@flotilla/config';
import { crossplanePackage } from './stage-pin';
import { CROSSPLANE_PACKAGES } from './versions';

const DIGEST = `sha256:${'e'.repeat(64)}`;

function scopeWith(context?: ChartPinsContext): Chart {
  const chart = new Chart(Testing.app(), 'test');
  if (context) chart.node.setContext(CHART_PINS_CONTEXT, context);
  return chart;
}

describe('Crossplane packages at the stage pin', () => {
  it('uses the catalog version outside a fleet with chart pins', () => {
    expect(crossplanePackage(scopeWith(), 'provider-aws-iam', CROSSPLANE_PACKAGES.providerAwsIam)).toBe('xpkg.upbound.io/upbound/provider-aws-iam:v2.6.0');
  });

  it("renders the stage's version and digest", () => {
    const scope = scopeWith({ stage: 'prod', unit: 'crossplane.provider-aws-iam', pins: { 'provider-aws-iam': `v2.6.0@${DIGEST}` } });
    expect(crossplanePackage(scope, 'provider-aws-iam', CROSSPLANE_PACKAGES.providerAwsIam)).toBe(`xpkg.upbound.io/upbound/provider-aws-iam:v2.6.0@${DIGEST}`);
  });

  it('fails when the stage pins no version for the package, naming the entry to add', () => {
    const scope = scopeWith({ stage: 'prod', unit: 'crossplane.provider-aws-iam', pins: {} });
    expect(() => crossplanePackage(scope, 'provider-aws-iam', CROSSPLANE_PACKAGES.providerAwsIam)).toThrow(
      "Crossplane package 'provider-aws-iam' has no pin on stage 'prod'; add 'crossplane.provider-aws-iam': { 'provider-aws-iam': 'v2.6.0' }",
    );
  });
});
