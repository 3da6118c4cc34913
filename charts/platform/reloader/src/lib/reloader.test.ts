import { describe, expect, it } from 'vitest';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import { reloader } from './reloader';

const render = (props: Parameters<typeof reloader>[0] = {}) => renderUnit(reloader(props), fixtureCluster('dev', []));

describe('reloader', () => {
  it('installs chart reloader 2.2.16 from the stakater repository, without CRDs', () => {
    const objects = render();
    expect(objects.map((object) => object.kind).sort()).toEqual(['HelmRelease', 'HelmRepository', 'Namespace', 'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy']);
    expect(findObject(objects, 'HelmRepository').spec).toMatchObject({ url: 'https://stakater.github.io/stakater-charts' });
    const release = findObject(objects, 'HelmRelease');
    expect(release.metadata.annotations).toBeUndefined();
    expect(release.spec).toMatchObject({
      chart: { spec: { chart: 'reloader', version: '2.2.16' } },
      install: { crds: 'Skip', remediation: { retries: 3 } },
      upgrade: { crds: 'Skip', remediation: { retries: 3, remediateLastFailure: true, strategy: 'rollback' } },
    });
  });

  it('uses the annotations reload strategy and turns on HA with more than one replica', () => {
    expect((findObject(render({ replicas: 2, logLevel: 'debug', ignoreNamespaces: ['kube-system', 'flux-system'] }), 'HelmRelease').spec as { values: unknown }).values).toEqual({
      reloader: {
        reloadStrategy: 'annotations',
        watchGlobally: true,
        enableHA: true,
        reloadOnCreate: false,
        logLevel: 'debug',
        ignoreNamespaces: 'kube-system,flux-system',
        namespaceSelector: 'team',
        resourceLabelSelector: 'reloader.flotilla.dev/watch=true',
        deployment: { replicas: 2 },
      },
    });
  });

  it('watches only tenant namespaces and labelled Secrets/ConfigMaps by default; typed selectors replace them, [] unscopes', () => {
    const values = (p: Parameters<typeof reloader>[0]) => (findObject(render(p), 'HelmRelease').spec as { values: { reloader: Record<string, unknown> } }).values.reloader;
    expect(values({})).toMatchObject({ watchGlobally: true, namespaceSelector: 'team', resourceLabelSelector: 'reloader.flotilla.dev/watch=true' });
    expect(values({ namespaceSelector: ['team', 'env!=sandbox'], resourceLabelSelector: ['app.example.com/reload=yes'] })).toMatchObject({
      namespaceSelector: 'team,env!=sandbox',
      resourceLabelSelector: 'app.example.com/reload=yes',
    });
    const unscoped = values({ namespaceSelector: [], resourceLabelSelector: [] });
    expect(unscoped.namespaceSelector).toBeUndefined();
    expect(unscoped.resourceLabelSelector).toBeUndefined();
  });

  it('fails on a selector term that is not a label selector, naming the field and the fix', () => {
    expect(() => reloader({ namespaceSelector: ['team in (a,b)'] })).toThrow(/reloader namespaceSelector term 'team in \(a,b\)' is not a label selector term; write 'key'/);
  });

  it('fails if replicas is zero', () => {
    expect(() => reloader({ replicas: 0 })).toThrow(/reloader replicas is 0/);
  });
});
