import { describe, expect, it } from 'vitest';
import type { AppConfigBindingSpec } from '@flotilla/charts/platform/appconfig-sync';
import { renderUnit } from '@flotilla/core';
import { fixtureCluster } from '@flotilla/core/testing';
import { configDemo } from './config-demo';

const binding: AppConfigBindingSpec = {
  name: 'config-demo',
  team: { name: 'team-a', namespace: 'team-a', costCenter: 'cc-1001' },
  application: 'config-demo',
  environment: 'dev',
  profile: 'settings',
  ids: { applicationId: 'k3d9qz1', environmentId: 'w7m2xa4', configurationProfileId: 'p5n8rt0' },
};
const cluster = fixtureCluster('dev', []);

describe('config-demo', () => {
  it('is a team-a tenant app unit that reconciles as the team', () => {
    const unit = configDemo({ binding });
    expect([unit.name, unit.project, unit.layer, unit.dependsOn]).toEqual(['config-demo', 'config-demo', 'apps', ['teams']]);
    expect(unit.flux).toEqual({ serviceAccountName: 'flux-team-a', targetNamespace: 'team-a' });
  });

  it('reads its configuration from the agent at start and is restarted by Reloader on a new version', () => {
    const objects = renderUnit(configDemo({ binding }), cluster);
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toContain('ExternalSecret/config-demo-appconfig-version');
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    expect(deployment.metadata?.annotations).toEqual({ 'secret.reloader.stakater.com/reload': 'config-demo-appconfig-version' });
    const pod = (deployment as unknown as { spec: { template: { spec: { initContainers: { name: string }[]; serviceAccountName: string; containers: { env: unknown[] }[] } } } }).spec.template.spec;
    expect(pod.initContainers.map((c) => c.name)).toEqual(['appconfig-agent']);
    expect(pod.serviceAccountName).toBe('config-demo');
    expect(pod.containers[0]!.env).toContainEqual({ name: 'APPCONFIG_URL', value: 'http://localhost:2772/applications/config-demo/environments/dev/configurations/settings' });
  });

  it('renders nothing until the AppConfig IDs are known (phase 1)', () => {
    expect(renderUnit(configDemo({ binding: { ...binding, ids: undefined } }), cluster)).toEqual([]);
  });
});
