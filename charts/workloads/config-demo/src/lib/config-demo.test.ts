import { describe, expect, it } from 'vitest';
import type { AppConfigBindingSpec } from '@flotilla/charts/platform/appconfig-sync';
import { renderUnit } from '@flotilla/core';
import { fixtureCluster } from '@flotilla/core/testing';
import { ClusterFacts } from '@flotilla/config';
import { teams } from '@flotilla/charts/platform/teams';
import { checkReferences } from '@flotilla/validate';
import { awsEgressFor, type TeamConfig } from '@flotilla/workloads';
import { configDemo } from './config-demo';

const binding: AppConfigBindingSpec = {
  name: 'config-demo',
  team: { name: 'team-a', namespace: 'team-a', costCenter: 'cc-1001' },
  application: 'config-demo',
  environment: 'dev',
  profile: 'settings',
  schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
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

describe("config-demo's network path to AWS", () => {
  const team = { name: 'team-a', costCenter: 'cc-1001', group: 'team-a-developers' };
  const facts = new ClusterFacts({
    name: 'prod',
    account: '222222222222',
    region: 'eu-north-1',
    environment: 'prod',
    kubernetesVersion: '1.35',
    oidcIssuerId: '9F8E7D6C5B4A39281706F5E4D3C2B1A0',
    vpc: { id: 'vpc-0f9e8d7c6b5a40000', cidr: '10.20.0.0/16', databaseSubnets: { cidr: '10.20.64.0/20', subnetIds: ['subnet-0f9e8d7c6b5a40001', 'subnet-0f9e8d7c6b5a40002'] }, securityGroups: {}, endpoints: { cidr: '10.20.96.0/24', services: ['appconfigdata'] } },
    git: { url: 'ssh://git@github.com/example-org/fleet' },
  });
  const check = (config: TeamConfig) => {
    const objects = [...renderUnit(teams({ teams: [config] }), cluster), ...renderUnit(configDemo({ binding }), cluster)];
    return checkReferences(objects.map((object, index) => ({ file: `${object.kind}_${object.metadata?.name}.yaml`, index, cluster: 'prod', object }))).filter((f) => f.code === 'network/aws-egress');
  };

  it("has none behind the team's default-deny policies until its AWS use is declared, and then passes", () => {
    // GIVEN team-a without awsEgress THEN the agent's binding has no path
    const findings = check(team);
    expect(findings.map((f) => f.object)).toEqual(['Deployment team-a/config-demo', 'Deployment team-a/config-demo']);
    expect(findings[1]!.message).toMatch(/PodIdentityAssociation team-a\/team-a-config-demo \(ServiceAccount config-demo\).*EKS Pod Identity Agent/);
    // WHEN team-a declares it THEN allow-aws-config-demo opens the agent and the VPC endpoint
    const aws = awsEgressFor(facts, { name: 'config-demo', podLabels: { 'app.kubernetes.io/name': 'config-demo' }, credentials: 'pod-identity', services: ['appconfigdata'] });
    expect(aws.endpoints).toEqual([{ service: 'appconfigdata', cidr: '10.20.96.0/24', viaVpcEndpoint: true }]);
    expect(check({ ...team, awsEgress: [aws] })).toEqual([]);
  });
});
