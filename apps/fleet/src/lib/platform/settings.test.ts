import { describe, expect, it } from 'vitest';
import { defineCluster } from '@flotilla/config';
import { facts as devFacts } from '../clusters/dev/facts';
import { renderCluster } from '../../testing';
import { fleetCluster } from './cluster';
import { platformSettings, withOverrides } from './settings';

type Spec = { spec: { values: { replicas?: number; validatingWebhookFailurePolicy?: string } } };

describe('platform settings', () => {
  it('merges a cluster override into its environment, area by area, keeping the other values', () => {
    // GIVEN dev's settings WHEN a cluster overrides Gatekeeper's replicas
    const merged = withOverrides(platformSettings.dev, { gatekeeper: { replicas: 2 } });
    // THEN only that value changes; the rest of the area and the other areas are dev's
    expect(merged.gatekeeper).toEqual({ ...platformSettings.dev.gatekeeper, replicas: 2 });
    expect(merged.kong).toBe(platformSettings.dev.kong);
    expect(withOverrides(platformSettings.dev)).toEqual(platformSettings.dev);
  });

  it("renders a cluster's override, and only there: the same facts with and without it differ in that value", () => {
    // GIVEN dev as the fleet defines it, and a copy that overrides Gatekeeper's replicas and failure policy
    const plain = defineCluster(devFacts, (c) => fleetCluster(c));
    const overridden = defineCluster(devFacts, (c) => fleetCluster(c, { overrides: { gatekeeper: { replicas: 2, failurePolicy: 'Fail' } } }));
    const release = (cluster: typeof plain) =>
      renderCluster(cluster, cluster.units.filter((unit) => unit.name === 'gatekeeper')).find(({ object }) => object.kind === 'HelmRelease')!.object as unknown as Spec;
    // THEN the HelmRelease carries dev's values without it and the override with it
    expect(release(plain).spec.values).toMatchObject({ replicas: 1, validatingWebhookFailurePolicy: 'Ignore' });
    expect(release(overridden).spec.values).toMatchObject({ replicas: 2, validatingWebhookFailurePolicy: 'Fail' });
  });

  it('differs between environments only in values of the typed table', () => {
    // The same areas everywhere: a new area must be given for every environment (the Record type enforces it).
    const areas = Object.keys(platformSettings.dev).sort();
    for (const settings of Object.values(platformSettings)) expect(Object.keys(settings).sort()).toEqual(areas);
    expect(platformSettings.prod.gatekeeper.failurePolicy).toBe('Fail');
    expect(platformSettings.dev.gatekeeper.failurePolicy).toBe('Ignore');
    expect(platformSettings.prod.nodePools.amiVersion).toBe('v20261101');
    expect(platformSettings.dev.nodePools.amiVersion).toBeUndefined();
  });
});
