import { describe, expect, it } from 'vitest';
import { Duration } from '@flotilla/config';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import { gatekeeper, type GatekeeperProps } from './gatekeeper';

const render = (props: GatekeeperProps = {}) => renderUnit(gatekeeper(props), fixtureCluster('dev', []));

describe('gatekeeper', () => {
  it('installs chart gatekeeper 3.23.0 and lets Flux create and replace its CRDs', () => {
    const release = findObject(render(), 'HelmRelease');
    expect(release.metadata).toMatchObject({ name: 'gatekeeper', namespace: 'gatekeeper-system' });
    expect(release.metadata.annotations).toEqual({
      'flotilla.dev/installs-crds':
        'config.gatekeeper.sh,connection.gatekeeper.sh,constraints.gatekeeper.sh,expansion.gatekeeper.sh,externaldata.gatekeeper.sh,mutations.gatekeeper.sh,status.gatekeeper.sh,syncset.gatekeeper.sh,templates.gatekeeper.sh',
    });
    expect(release.spec).toMatchObject({
      chart: { spec: { chart: 'gatekeeper', version: '3.23.0', sourceRef: { kind: 'HelmRepository', name: 'gatekeeper' } } },
      install: { crds: 'Create' },
      upgrade: { crds: 'CreateReplace' },
    });
    expect(findObject(render(), 'Namespace').metadata.labels).toEqual({ 'admission.gatekeeper.sh/ignore': 'no-self-managing' });
  });

  it('turns the CEL K8sNativeValidation engine on and sets the typed per-cluster values', () => {
    const values = (findObject(render({ replicas: 1, auditInterval: Duration.minutes(5), logLevel: 'DEBUG', failurePolicy: 'Fail', exemptNamespaces: ['kube-system'] }), 'HelmRelease').spec as { values: unknown })
      .values;
    expect(values).toEqual({
      replicas: 1,
      auditInterval: 300,
      logLevel: 'DEBUG',
      constraintViolationsLimit: 20,
      validatingWebhookFailurePolicy: 'Fail',
      enableK8sNativeValidation: true,
      upgradeCRDs: { enabled: false },
      controllerManager: { exemptNamespaces: ['kube-system'] },
      // Ratify's external data provider: the webhook waits as long as Ratify may take (5 s).
      enableExternalData: true,
      validatingWebhookTimeoutSeconds: 5,
      externaldataProviderResponseCacheTTL: '10s',
    });
  });

  it('fails if the audit interval is shorter than 10 seconds', () => {
    expect(() => gatekeeper({ auditInterval: Duration.seconds(5) })).toThrow(/gatekeeper auditInterval is 5s; use at least 10 seconds/);
  });
});
