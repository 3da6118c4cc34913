import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { AwsSecretsProviderClass, type AwsSecretsProviderClassProps } from './aws-secrets-provider-class';
import { RDS_MASTER_SECRET_ARN as ARN, TEAM_A as team } from '../testing';


function render(overrides: Partial<AwsSecretsProviderClassProps> = {}) {
  const chart = Testing.chart();
  const spc = new AwsSecretsProviderClass(chart, 'Spc', {
    team,
    name: 'db',
    region: 'eu-north-1',
    objects: [{ objectName: ARN, jmesPath: [{ path: 'password', objectAlias: 'password' }] }],
    ...overrides,
  });
  return { spc, chart, objects: Testing.synth(chart) as any[] };
}

describe('AwsSecretsProviderClass', () => {
  test('renders a v1 SecretProviderClass for the aws provider with the objects as YAML', () => {
    const [spc] = render().objects;
    expect(spc.apiVersion).toBe('secrets-store.csi.x-k8s.io/v1');
    expect(spc.metadata).toEqual({ name: 'db', namespace: 'team-a', labels: { team: 'team-a', 'cost-center': 'cc-1001' } });
    expect(spc.spec.provider).toBe('aws');
    expect(spc.spec.parameters.region).toBe('eu-north-1');
    expect(parse(spc.spec.parameters.objects)).toEqual([{ objectName: ARN, objectType: 'secretsmanager', jmesPath: [{ path: 'password', objectAlias: 'password' }] }]);
    expect(spc.spec.parameters.usePodIdentity).toBeUndefined();
  });

  test('can authenticate with Pod Identity', () => {
    expect(render({ usePodIdentity: true }).objects[0].spec.parameters.usePodIdentity).toBe('true');
  });

  test('its volume mounts read-only through the CSI driver', () => {
    const { spc, chart } = render();
    const volume = spc.volume(chart, 'Vol', 'db-credentials');
    expect(volume._toKube()).toEqual({ name: 'db-credentials', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'db' } } });
  });

  test('fails if no objects are listed', () => {
    expect(() => render({ objects: [] })).toThrow(/'objects' of 'db' is empty/);
  });

  test('fails if a jmesPath alias is not a file name', () => {
    expect(() => render({ objects: [{ objectName: ARN, jmesPath: [{ path: 'password', objectAlias: '../password' }] }] })).toThrow(/'jmesPath.objectAlias' \('..\/password'\) must be a file name/);
  });
});
