import { describe, expect, it } from 'vitest';
import { KUBERNETES_VERSIONS, type ClusterConfig, type KubernetesVersion, type Unit } from '../index';
import { defineFleet, FleetConfigError } from './fleet';

const TENANT = { serviceAccountName: 'flux-team-a', targetNamespace: 'team-a' };
const unit = (name: string, extra: Partial<Unit> = {}): Unit => ({ name, project: name.split('.')[0], layer: 'apps', flux: TENANT, render: () => undefined, ...extra });
const cluster = (overrides: Partial<ClusterConfig> = {}): ClusterConfig => ({
  name: 'dev',
  account: '123456789012',
  region: 'eu-north-1',
  environment: 'dev',
  kubernetesVersion: '1.35',
  identity: { oidcIssuerUrl: 'https://oidc.eks.eu-north-1.amazonaws.com/id/X' },
  discoveryTag: { key: 'karpenter.sh/discovery', value: 'dev' },
  git: { url: 'ssh://git@example.com/fleet' },
  bootstrap: { ackIamControllerRoleArn: 'arn:aws:iam::123456789012:role/ack' },
  units: [unit('web'), unit('web.config')],
  ...overrides,
});

describe('defineFleet', () => {
  it('returns a valid fleet unchanged', () => {
    const fleet = { clusters: [cluster(), cluster({ name: 'prod' })] };
    expect(defineFleet(fleet)).toBe(fleet);
  });

  it('fails if anything is wrong, listing every problem with its cluster, field and fix', () => {
    const bad = cluster({
      name: 'Dev_1',
      account: '1234',
      region: 'north',
      identity: { oidcIssuerUrl: 'http://insecure' },
      git: { url: 'x', path: './clusters/dev' },
      units: [unit('web'), unit('web'), unit('api', { project: 'backend' }), unit('job', { dependsOn: ['queue'] })],
    });
    let error: unknown;
    try {
      defineFleet({ clusters: [bad, bad] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FleetConfigError);
    const problems = (error as FleetConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        "cluster 'Dev_1': 'name' must be a DNS label (lowercase letters, digits, '-'), got 'Dev_1'",
        "cluster 'Dev_1': declared twice; cluster names must be unique",
        "cluster 'Dev_1': 'account' must be a 12-digit AWS account id, got '1234'",
        "cluster 'Dev_1': 'region' must be an AWS region such as 'eu-north-1', got 'north'",
        "cluster 'Dev_1': 'identity.oidcIssuerUrl' must be the https issuer URL of the EKS cluster, got 'http://insecure'",
        "cluster 'Dev_1': 'git.path' must be relative to the repository root without './' or '..', got './clusters/dev'",
        "cluster 'Dev_1', unit 'web': the cluster lists this unit twice",
        "cluster 'Dev_1', unit 'api': the name must be the project name 'backend' or start with 'backend.'",
        "cluster 'Dev_1', unit 'job': dependsOn 'queue', which this cluster does not run; add it to the cluster's units or drop the dependency",
      ]),
    );
  });

  it.each(['1.30', '1.37'])('rejects kubernetesVersion %s, naming the cluster, the value and the supported versions', (version) => {
    // GIVEN a cluster whose version is outside EKS standard support (possible in an unchecked config)
    const fleet = { clusters: [cluster({ name: 'edge', kubernetesVersion: version as KubernetesVersion })] };
    // WHEN defining the fleet THEN it fails with the one problem
    expect(() => defineFleet(fleet)).toThrow(FleetConfigError);
    try {
      defineFleet(fleet);
    } catch (error) {
      expect((error as FleetConfigError).problems).toEqual([
        `cluster 'edge': 'kubernetesVersion' '${version}' is not supported; use one of 1.34, 1.35, 1.36 (the versions Amazon EKS supports in standard support, which have schemas)`,
      ]);
    }
  });

  it.each([...KUBERNETES_VERSIONS])('accepts kubernetesVersion %s', (version) => {
    const fleet = { clusters: [cluster({ kubernetesVersion: version })] };
    expect(defineFleet(fleet)).toBe(fleet);
  });

  it('fails for an apps-layer unit that would apply as the Flux controller or outside its namespace, naming the fix', () => {
    const fleet = {
      clusters: [
        cluster({
          units: [
            unit('web', { flux: undefined }),
            unit('api', { flux: { serviceAccountName: 'kustomize-controller', targetNamespace: 'team-a' } }),
            unit('job', { flux: { serviceAccountName: 'flux-team-a' } }),
            unit('karpenter', { layer: 'infra-controllers', flux: undefined }),
          ],
        }),
      ],
    };
    let error: unknown;
    try {
      defineFleet(fleet);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FleetConfigError);
    const problems = (error as FleetConfigError).problems;
    expect(problems).toEqual([
      expect.stringMatching(/^cluster 'dev', unit 'web': an apps-layer unit has no 'flux.serviceAccountName'.*tenantFluxOptions\(teamRef\(team\)\)/),
      expect.stringMatching(/^cluster 'dev', unit 'web': an apps-layer unit has no 'flux.targetNamespace'/),
      expect.stringMatching(/^cluster 'dev', unit 'api': 'flux.serviceAccountName' 'kustomize-controller' is a Flux controller account/),
      expect.stringMatching(/^cluster 'dev', unit 'job': an apps-layer unit has no 'flux.targetNamespace'/),
    ]);
  });

  it('fails for code owners that are not GitHub teams', () => {
    const fleet = { clusters: [cluster()], codeowners: { platform: 'platform', teams: { 'team-a': '@acme/team-a', dj: 'dj@example.com' } } };
    expect(() => defineFleet(fleet)).toThrow(/'codeowners.platform' must be a GitHub team '@org\/team', got 'platform'[\s\S]*'codeowners.teams\['dj'\]' must be a GitHub team/);
  });
});

describe('defineFleet: delivery', () => {
  const oci = { type: 'oci' as const, registry: '222222222222.dkr.ecr.eu-north-1.amazonaws.com/flotilla', verify: { publicKeySecret: 'flotilla/cosign' }, signingKey: { env: 'KEY' } };

  it('accepts git (the default) and a complete oci delivery', () => {
    const withStores = [unit('web'), unit('secret-stores')];
    expect(() => defineFleet({ clusters: [cluster({ delivery: { type: 'git' } }), cluster({ name: 'prod', delivery: oci, units: withStores })] })).not.toThrow();
  });

  it('names every wrong oci field with the value and the expected form', () => {
    const bad = cluster({
      delivery: { ...oci, registry: 'https://Registry.example.com', repository: 'Prod', tag: '-x', verify: { publicKeySecret: '' }, signingKey: { env: 'A', file: 'b' } as never },
      units: [unit('secret-stores')],
    });
    expect(() => defineFleet({ clusters: [bad] })).toThrow(FleetConfigError);
    try {
      defineFleet({ clusters: [bad] });
    } catch (error) {
      expect((error as FleetConfigError).problems).toEqual([
        "cluster 'dev': 'delivery.registry' must be 'host[:port]/prefix' in lowercase without a scheme, e.g. '222222222222.dkr.ecr.eu-north-1.amazonaws.com/flotilla', got 'https://Registry.example.com'",
        "cluster 'dev': 'delivery.repository' must be an OCI repository path (lowercase, '/'-separated), got 'Prod'",
        "cluster 'dev': 'delivery.tag' must be an OCI tag (letters, digits, '_', '.', '-', at most 128), got '-x'",
        "cluster 'dev': 'delivery.verify.publicKeySecret' is empty; name the Secrets Manager secret holding the cosign public key",
        `cluster 'dev': 'delivery.signingKey' must be { env: '<VARIABLE>' } or { file: '<path>' } (exactly one), got {"env":"A","file":"b"}`,
      ]);
    }
    try {
      defineFleet({ clusters: [cluster({ delivery: oci, units: [unit('flux-verify')] })] });
    } catch (error) {
      expect((error as FleetConfigError).problems).toEqual([
        "cluster 'dev': 'delivery.verify.dependsOn' names unit 'secret-stores', which this cluster does not run; add it, or list the unit that renders the store 'platform-secrets'",
        "cluster 'dev': unit name 'flux-verify' is taken by OCI delivery (the verification key's Kustomization); rename the unit",
      ]);
    }
  });
});
