import { describe, expect, it } from 'vitest';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import { SchemaValidator } from '@flotilla/validate';
import { fluxNotifications, type FluxNotificationsProps } from './flux-notifications';
import { githubRepositoryAddress } from './github-repository';

const cluster = fixtureCluster('prod', [], { environment: 'prod', git: { url: 'ssh://git@github.com/example-org/flotilla-fleet' } });
const props: FluxNotificationsProps = { helmReleaseNamespaces: ['karpenter', 'ack-system'] };
const render = (p: FluxNotificationsProps = props, on = cluster) => renderUnit(fluxNotifications(p), on);

describe('flux-notifications', () => {
  it('is one infra-configs unit after the secret store', () => {
    expect(fluxNotifications(props)).toMatchObject({ name: 'flux-notifications', project: 'flux-notifications', layer: 'infra-configs', dependsOn: ['secret-stores'] });
  });

  it('renders a GitHub commit-status Provider on the fleet repository with a per-cluster context', () => {
    const provider = findObject(render(), 'Provider', 'github-commit-status');
    expect(provider.metadata?.namespace).toBe('flux-system');
    expect(provider.spec).toEqual({
      type: 'github',
      address: 'https://github.com/example-org/flotilla-fleet',
      secretRef: { name: 'github-commit-status' },
      commitStatusExpr: "'flotilla/prod/' + event.involvedObject.kind.lowerAscii() + '/' + event.involvedObject.name",
    });
  });

  it('delivers the token through an ExternalSecret on the platform store and renders no Secret', () => {
    const objects = render();
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    expect(findObject(objects, 'ExternalSecret', 'github-commit-status').spec).toEqual({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform-secrets' },
      refreshInterval: '1h',
      target: { name: 'github-commit-status', creationPolicy: 'Owner' },
      data: [{ secretKey: 'token', remoteRef: { key: 'flotilla/prod/github-commit-status-token' } }],
    });
  });

  it('alerts on every Kustomization and on the HelmReleases of each listed namespace, naming the cluster', () => {
    const alert = findObject(render(), 'Alert', 'github-commit-status').spec as any;
    expect(alert.providerRef).toEqual({ name: 'github-commit-status' });
    expect(alert.eventSources).toEqual([
      { kind: 'Kustomization', name: '*' },
      { kind: 'HelmRelease', name: '*', namespace: 'ack-system' },
      { kind: 'HelmRelease', name: '*', namespace: 'karpenter' },
    ]);
    expect(alert.eventMetadata).toEqual({ cluster: 'prod', environment: 'prod', summary: 'cluster prod (prod)' });
  });

  it('has no chat provider by default, and renders one with its webhook from Secrets Manager when asked', () => {
    expect(render().filter((o) => o.kind === 'Provider').map((o) => o.metadata?.name)).toEqual(['github-commit-status']);
    const objects = render({ ...props, chat: { type: 'slack', webhookSecret: 'flotilla/prod/slack-webhook', channel: 'fleet' } });
    expect(findObject(objects, 'Provider', 'chat').spec).toEqual({ type: 'slack', secretRef: { name: 'chat' }, channel: 'fleet' });
    expect((findObject(objects, 'ExternalSecret', 'chat').spec as any).data).toEqual([{ secretKey: 'address', remoteRef: { key: 'flotilla/prod/slack-webhook' } }]);
    expect(findObject(objects, 'Alert', 'chat').spec).toMatchObject({ providerRef: { name: 'chat' }, eventSeverity: 'error' });
  });

  it('rejects a non-GitHub repository, an empty or malformed namespace list, naming the prop', () => {
    const gitlab = fixtureCluster('prod', [], { git: { url: 'ssh://git@gitlab.com/acme/fleet' } });
    expect(() => render(props, gitlab)).toThrow(/commitStatus: "ssh:\/\/git@gitlab.com\/acme\/fleet" is not a GitHub repository; set commitStatus.address/);
    expect(() => render({ helmReleaseNamespaces: [] })).toThrow(/helmReleaseNamespaces is empty/);
    expect(() => render({ helmReleaseNamespaces: ['Karpenter'] })).toThrow(/helmReleaseNamespaces entry "Karpenter" is not a namespace name/);
  });

  it('maps every GitHub clone URL form to the repository address', () => {
    expect(['ssh://git@github.com/o/r', 'git@github.com:o/r.git', 'https://github.com/o/r.git', 'https://github.com/o/r'].map(githubRepositoryAddress)).toEqual(Array(4).fill('https://github.com/o/r'));
    expect(githubRepositoryAddress('https://example.com/o/r')).toBeUndefined();
  });

  it('renders objects that validate against the pinned Flux and External Secrets CRDs with zero errors', () => {
    const rendered = render({ ...props, chat: { type: 'msteams', webhookSecret: 'x' } }).map((object, index) => ({ file: `flux-notifications/${index}`, index, object }));
    expect(SchemaValidator.load().validate(rendered).filter((f) => f.severity === 'error')).toEqual([]);
  });
});
