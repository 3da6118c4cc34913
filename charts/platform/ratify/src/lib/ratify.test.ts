import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import { findRepoRoot, type KubeObject } from '@flotilla/model';
import { loadPolicyLibrary } from '@flotilla/policy';
import { RATIFY_PROVIDER, RATIFY_PROVIDER_PORT, ratify } from './ratify';

const cluster = fixtureCluster('prod', [], { account: '222222222222', region: 'eu-north-1' });
const spec = (object: KubeObject) => object.spec as Record<string, any>;

describe('ratify', () => {
  it('installs chart ratify 1.15.0 (app v1.4.0) with its CRDs after its identity and Gatekeeper', () => {
    expect(ratify().map((unit) => [unit.name, unit.layer, unit.dependsOn ?? []])).toEqual([
      ['ratify.identity', 'infra-controllers', ['ack.iam', 'ack.eks']],
      ['ratify', 'infra-controllers', ['ratify.identity', 'gatekeeper']],
    ]);
    const release = findObject(renderUnits(ratify({ replicas: 2 }), cluster).get('ratify'), 'HelmRelease');
    expect(release.metadata.annotations).toEqual({ 'flotilla.dev/installs-crds': 'config.ratify.deislabs.io' });
    expect(spec(release)).toMatchObject({
      chart: { spec: { chart: 'ratify', version: '1.15.0' } },
      values: {
        replicaCount: 2,
        serviceAccount: { create: true, name: 'ratify-admin' },
        // The signing unit renders the Verifiers and the trust policy; the chart renders none of its own.
        notation: { enabled: false },
        cosign: { enabled: false },
        gatekeeper: { version: '3.23.0', namespace: 'gatekeeper-system' },
        oras: { authProviders: { awsEcrBasicEnabled: true } },
        provider: { timeout: { validationTimeoutSeconds: 5 }, enableMutation: false },
        featureFlags: { RATIFY_EXPERIMENTAL_DYNAMIC_PLUGINS: true },
        upgradeCRDs: { enabled: false },
      },
    });
  });

  it('is the provider the signature ConstraintTemplate calls (the chart renders Provider ratify-provider)', () => {
    const { templates } = loadPolicyLibrary(join(findRepoRoot(__dirname), 'policies'));
    const template = templates.find((t) => t.metadata.name === 'flotillaimagesignatures')!;
    const rego = (template.spec as { targets: { rego: string }[] }).targets[0]!.rego;
    expect([...rego.matchAll(/"provider": "([^"]+)"/g)].map((m) => m[1])).toEqual([RATIFY_PROVIDER]);
  });

  it('reads the account ECR and asks AWS Signer for revocation, nothing else', () => {
    const objects = renderUnits(ratify(), cluster).get('ratify.identity');
    expect(spec(findObject(objects, 'PodIdentityAssociation'))).toMatchObject({ namespace: 'ratify', serviceAccount: 'ratify-admin' });
    const policy = JSON.parse(Object.values(spec(findObject(objects, 'Role')).inlinePolicies as Record<string, string>)[0]!);
    expect(policy.Statement.map((s: { Action: string | string[]; Resource: string | string[] }) => [s.Action, s.Resource])).toEqual([
      ['ecr:GetAuthorizationToken', '*'],
      [['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'], 'arn:aws:ecr:eu-north-1:222222222222:repository/*'],
      ['signer:GetRevocationStatus', '*'],
    ]);
  });

  it('lets only Gatekeeper reach the external data endpoint', () => {
    const objects = renderUnits(ratify(), cluster).get('ratify')!;
    const ingress = objects.find((object) => object.metadata.name === 'allow-gatekeeper-external-data')!;
    expect(ingress.metadata.namespace).toBe('ratify');
    expect(spec(ingress).ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gatekeeper-system' } } }], ports: [{ protocol: 'TCP', port: RATIFY_PROVIDER_PORT }] }]);
    const egress = objects.find((object) => object.metadata.name === 'allow-ratify-external-data')!;
    expect(egress.metadata.namespace).toBe('gatekeeper-system');
    expect(spec(egress).egress[0].ports).toEqual([{ protocol: 'TCP', port: 6001 }]);
  });

  it('fails if replicas is not a whole number of at least 1', () => {
    expect(() => ratify({ replicas: 1.5 })).toThrow(/ratify replicas is 1.5/);
  });
});
