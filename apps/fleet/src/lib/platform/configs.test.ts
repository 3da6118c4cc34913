import { describe, expect, it } from 'vitest';
import type { ClusterConfig, Unit } from '@flotilla/config';
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { SchemaValidator, checkReferences } from '@flotilla/validate';
import { dev, prod } from '../../index';
import type { FleetCluster } from '../fleet-defaults';
import { facts as devFacts } from '../clusters/dev/facts';
import { facts as prodFacts } from '../clusters/prod/facts';
import { renderCluster } from '../../testing';
import type { ClusterPlatform } from './settings';
import { platformConfigs } from './configs';
import { platformControllers } from './controllers';
import { platformSettings } from './settings';


/** The units `area` contributes to `cluster`, as the cluster's config holds them (with its AWS-assigned ids). */
const unitsOf = (cluster: ClusterConfig, area: Unit[]): Unit[] => cluster.units.filter((unit) => area.some((own) => own.name === unit.name));
const platformOf = (c: FleetCluster): ClusterPlatform => ({ settings: platformSettings[c.environment], ids: {} });

const prodConfigs = unitsOf(prod, platformConfigs(prodFacts, platformOf(prodFacts)));
const devConfigs = unitsOf(dev, platformConfigs(devFacts, platformOf(devFacts)));
const prodControllers = unitsOf(prod, platformControllers(prodFacts, platformOf(prodFacts)));
const devControllers = unitsOf(dev, platformControllers(devFacts, platformOf(devFacts)));

const MY_PROJECTS = ['karpenter', 'secret-stores', 'gatekeeper-policies', 'account-policies'];

/** The platform (controllers + configs) of a cluster, rendered as Flux would apply it. */
function platform(cluster: ClusterConfig, units: ClusterConfig['units']): RenderedObject[] {
  return renderCluster(cluster, units);
}

const unitOf = (file: string) => file.split('/')[3]!;
const find = (objects: readonly RenderedObject[], kind: string, name: string): KubeObject & { spec: any } =>
  objects.find(({ object }) => object.kind === kind && object.metadata.name === name)!.object as KubeObject & { spec: any };

describe.each([
  ['dev', dev, devControllers, devConfigs],
  ['prod', prod, prodControllers, prodConfigs],
] as const)('platform configs on %s', (name, cluster, controllers, configs) => {
  const objects = platform(cluster, [...controllers, ...configs]);
  const mine = objects.filter(({ file }) => !file.includes('/sync/') && MY_PROJECTS.some((project) => unitOf(file) === project || unitOf(file).startsWith(`${project}.`)));

  it('renders the node pools, secret stores, Gatekeeper templates and constraints, and the account policy', () => {
    expect([...new Set(mine.map(({ file }) => `${file.split('/')[2]}/${unitOf(file)}`))].sort()).toEqual([
      'infra-configs/account-policies',
      'infra-configs/gatekeeper-policies.templates',
      'infra-configs/karpenter.interruption',
      'infra-configs/karpenter.nodepools',
      'infra-configs/secret-stores',
      'infra-controllers/karpenter',
      'infra-controllers/karpenter.identity',
      'policies/gatekeeper-policies.constraints',
    ]);
  });

  it('passes the schema validator with zero errors', () => {
    const errors = SchemaValidator.load()
      .validate(objects, { kubernetesVersion: cluster.kubernetesVersion })
      .filter((finding) => finding.severity === 'error' && mine.some(({ file }) => file === finding.file));
    expect(errors).toEqual([]);
  });

  it('passes the reference checks (CRDs installed by a dependency, namespaces exist)', () => {
    const files = new Set(mine.map(({ file }) => file));
    expect(checkReferences(objects).filter((finding) => finding.severity === 'error' && files.has(finding.file ?? ''))).toEqual([]);
  });

  it('attaches the CostCenter policy to the Karpenter controller role, whose nodes carry the tag', () => {
    const controllerRole = find(objects, 'Role', 'karpenter').spec.name;
    expect(controllerRole).toBe(`${name}-karpenter`);
    expect(find(objects, 'RolePolicyAttachment', `${name}-require-cost-center-role-${name}-karpenter`).spec.forProvider.role).toBe(controllerRole);
    for (const nodeClass of ['default', 'gpu']) expect(find(objects, 'EC2NodeClass', nodeClass).spec.tags).toEqual({ CostCenter: 'platform' });
  });

  it('lets the ESO controller chain into the tenant secrets role', () => {
    const accessRole = find(objects, 'Role', 'tenant-secrets').spec;
    const esoPolicy = JSON.parse(Object.values(find(objects, 'Role', 'external-secrets').spec.inlinePolicies as Record<string, string>)[0]!);
    const assume = esoPolicy.Statement.find((statement: { Action: string | string[] }) => [statement.Action].flat().includes('sts:AssumeRole'));
    expect([assume.Resource].flat()).toContain(`arn:aws:iam::${cluster.account}:role/${accessRole.name}`);
    expect([assume.Action].flat()).toContain('sts:TagSession');
    expect(JSON.parse(accessRole.assumeRolePolicyDocument).Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${cluster.account}:role/${name}-external-secrets` });
  });

  it('exempts exactly the GPU service\'s models path from host isolation', () => {
    expect(find(objects, 'FlotillaHostIsolation', 'host-isolation').spec.parameters).toEqual({ allowedHostPaths: [{ namespace: 'imagegen', path: '/mnt/k8s-disks/0/models' }] });
  });
});

describe('reference check on the platform configs', () => {
  it('fails if the node pools run without the Karpenter controller that installs their CRDs', () => {
    // GIVEN dev without the karpenter controller units
    const objects = platform(dev, [...devControllers.filter((unit) => unit.project !== 'karpenter'), ...devConfigs]);
    // THEN every NodePool and EC2NodeClass is reported
    const missing = checkReferences(objects).filter((finding) => finding.code === 'ref/crd-not-installed' && (finding.file ?? '').includes('/karpenter.nodepools/'));
    expect(missing.map((finding) => finding.file!.split('/').pop())).toEqual([
      'EC2NodeClass.karpenter.k8s.aws_default.yaml',
      'NodePool.karpenter.sh_general.yaml',
      'EC2NodeClass.karpenter.k8s.aws_gpu.yaml',
      'NodePool.karpenter.sh_gpu.yaml',
    ]);
  });
});

describe('dev and prod constraints differ where the clusters differ', () => {
  const devObjects = platform(dev, [...devControllers, ...devConfigs]);
  const prodObjects = platform(prod, [...prodControllers, ...prodConfigs]);

  it('prod requires image digests, dev does not', () => {
    expect(find(devObjects, 'FlotillaImageTags', 'image-tags').spec.parameters).toEqual({ requireDigest: false, disallowedTags: ['latest'] });
    expect(find(prodObjects, 'FlotillaImageTags', 'image-tags').spec.parameters).toEqual({ requireDigest: true, disallowedTags: ['latest'] });
  });

  it('prod requires Kong rate limiting on external routes, dev has no such constraint', () => {
    expect(devObjects.some(({ object }) => object.kind === 'FlotillaRouteRateLimit')).toBe(false);
    expect(find(prodObjects, 'FlotillaRouteRateLimit', 'route-rate-limit').spec.parameters).toEqual({
      enabled: true,
      acceptedPlugins: ['comfyui-rate-limit', 'dj-rate-limit'],
      externalIngressClasses: ['kong'],
      externalGateways: ['dj/dj'],
    });
  });

  it('each cluster allows its own account\'s ECR', () => {
    expect(find(devObjects, 'FlotillaAllowedRepos', 'allowed-repositories').spec.parameters.repos).toContain('111111111111.dkr.ecr.eu-north-1.amazonaws.com/');
    expect(find(prodObjects, 'FlotillaAllowedRepos', 'allowed-repositories').spec.parameters.repos[0]).toBe('222222222222.dkr.ecr.eu-north-1.amazonaws.com/');
    expect(find(prodObjects, 'FlotillaAllowedRepos', 'allowed-repositories').spec.parameters.repos).not.toContain('111111111111.dkr.ecr.eu-north-1.amazonaws.com/');
  });

  it('prod pins the AMI release of both node classes, dev floats on latest', () => {
    for (const name of ['default', 'gpu']) {
      expect(find(devObjects, 'EC2NodeClass', name).spec.amiSelectorTerms).toEqual([{ alias: 'al2023@latest' }]);
      expect(find(prodObjects, 'EC2NodeClass', name).spec.amiSelectorTerms).toEqual([{ alias: 'al2023@v20261101' }]);
    }
  });

  it('sizes the node pools per cluster', () => {
    expect(find(devObjects, 'NodePool', 'general').spec.limits).toEqual({ cpu: '200', memory: '800Gi' });
    expect(find(prodObjects, 'NodePool', 'general').spec.limits).toEqual({ cpu: '2000', memory: '8000Gi' });
    expect(find(devObjects, 'NodePool', 'gpu').spec.limits).toEqual({ 'nvidia.com/gpu': '4' });
    expect(find(prodObjects, 'NodePool', 'gpu').spec.limits).toEqual({ 'nvidia.com/gpu': '16' });
  });
});
