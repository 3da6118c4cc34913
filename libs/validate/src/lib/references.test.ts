import { describe, expect, it } from 'vitest';
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { checkReferences } from './references';
import { findCycles } from './flux-references';

function at(file: string, object: Record<string, unknown>, cluster = 'prod'): RenderedObject {
  return { file, index: 0, object: object as unknown as KubeObject, cluster };
}

const namespace = (name: string) => at(`clusters/prod/namespaces/Namespace_${name}.yaml`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const gitRepository = at('clusters/prod/flux-system/GitRepository_fleet.yaml', {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'GitRepository',
  metadata: { name: 'fleet', namespace: 'flux-system' },
  spec: { url: 'https://example.com/fleet', interval: '1m' },
});
function kustomization(name: string, path: string, dependsOn: string[] = [], extra: Record<string, unknown> = {}): RenderedObject {
  return at(`clusters/prod/flux-system/Kustomization_${name}.yaml`, {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: { interval: '10m', path, prune: true, sourceRef: { kind: 'GitRepository', name: 'fleet' }, dependsOn: dependsOn.map((d) => ({ name: d })), ...extra },
  });
}
const karpenterRelease = at('clusters/prod/infra/karpenter/HelmRelease_karpenter.yaml', {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'karpenter', namespace: 'kube-system', annotations: { 'flotilla.dev/installs-crds': 'karpenter.sh, karpenter.k8s.aws' } },
  spec: { interval: '1h', chart: { spec: { chart: 'karpenter', sourceRef: { kind: 'HelmRepository', name: 'karpenter', namespace: 'flux-system' } } } },
});
const karpenterRepo = at('clusters/prod/infra/karpenter/HelmRepository_karpenter.yaml', {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmRepository',
  metadata: { name: 'karpenter', namespace: 'flux-system' },
  spec: { url: 'oci://public.ecr.aws/karpenter', type: 'oci' },
});
const nodePool = at('clusters/prod/nodepools/NodePool_general.yaml', { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'general' }, spec: {} });

function deployment(podSpec: Record<string, unknown>, ns = 'team-a'): RenderedObject {
  return at(`clusters/prod/apps/${ns}/web/Deployment_${ns}_web.yaml`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } },
  });
}

const base = [namespace('team-a'), gitRepository, karpenterRepo];

describe('checkReferences: Flux', () => {
  it('accepts a fleet whose sources, dependencies and CRD providers all exist', () => {
    const objects = [...base, kustomization('infra', './clusters/prod/infra'), kustomization('nodepools', './clusters/prod/nodepools', ['infra']), karpenterRelease, nodePool];
    expect(checkReferences(objects)).toEqual([]);
  });

  it('fails a dangling sourceRef and dependsOn, naming the missing object', () => {
    const objects = [namespace('team-a'), kustomization('apps', './clusters/prod/apps', ['infra'], { sourceRef: { kind: 'GitRepository', name: 'other' } })];
    expect(checkReferences(objects).map((f) => [f.code, f.path, f.message])).toEqual([
      ['ref/missing-source', 'spec.sourceRef', 'GitRepository flux-system/other does not exist in cluster prod'],
      ['ref/missing-dependency', 'spec.dependsOn[0]', 'depends on Kustomization flux-system/infra, which does not exist in cluster prod'],
    ]);
  });

  it('fails a HelmRelease whose chart source is missing', () => {
    const findings = checkReferences([namespace('team-a'), karpenterRelease]);
    expect(findings).toMatchObject([{ code: 'ref/missing-source', path: 'spec.chart.spec.sourceRef', message: 'HelmRepository flux-system/karpenter does not exist in cluster prod' }]);
  });

  it('fails a dependsOn cycle and reports the cycle once', () => {
    const objects = [...base, kustomization('a', './clusters/prod/a', ['b']), kustomization('b', './clusters/prod/b', ['c']), kustomization('c', './clusters/prod/c', ['a'])];
    const findings = checkReferences(objects);
    expect(findings.map((f) => [f.code, f.message])).toEqual([
      ['ref/dependency-cycle', 'dependsOn cycle: Kustomization flux-system/a → Kustomization flux-system/b → Kustomization flux-system/c → Kustomization flux-system/a'],
    ]);
  });

  it('fails a custom resource whose Kustomization does not depend on the one installing its CRDs', () => {
    const objects = [...base, kustomization('infra', './clusters/prod/infra'), kustomization('nodepools', './clusters/prod/nodepools'), karpenterRelease, nodePool];
    expect(checkReferences(objects)).toMatchObject([
      {
        code: 'ref/crd-not-installed',
        file: 'clusters/prod/nodepools/NodePool_general.yaml',
        message: 'NodePool (karpenter.sh) is applied by Kustomization flux-system/nodepools, which neither installs the karpenter.sh CRDs nor depends on a Kustomization that does',
        fix: 'add dependsOn: [{ name: infra }] to Kustomization nodepools',
      },
    ]);
  });

  it('accepts CRDs provided by a CustomResourceDefinition in a transitive dependency', () => {
    const crd = at('clusters/prod/crds/CustomResourceDefinition_nodepools.karpenter.sh.yaml', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'nodepools.karpenter.sh' },
      spec: { group: 'karpenter.sh' },
    });
    const objects = [...base, kustomization('crds', './clusters/prod/crds'), kustomization('infra', './clusters/prod/infra', ['crds']), kustomization('nodepools', './clusters/prod/nodepools', ['infra']), crd, nodePool];
    expect(checkReferences(objects)).toEqual([]);
  });

  it('finds elementary cycles independent of start order', () => {
    expect(findCycles(new Map([['x', ['y']], ['y', ['x']], ['z', ['z']]]))).toEqual([['x', 'y'], ['z']]);
  });
});

describe('checkReferences: namespaces and workloads', () => {
  it('fails an object in a namespace nobody creates', () => {
    const findings = checkReferences([deployment({ containers: [{ name: 'web', image: 'nginx' }] }, 'team-b')]);
    expect(findings).toMatchObject([{ code: 'ref/missing-namespace', path: 'metadata.namespace', message: 'namespace "team-b" does not exist in cluster prod' }]);
  });

  it('treats the built-in namespaces as existing', () => {
    expect(checkReferences([deployment({ containers: [{ name: 'web', image: 'nginx' }] }, 'kube-system')])).toEqual([]);
  });

  it('fails missing ServiceAccount, ConfigMap, Secret, PVC and SecretProviderClass references', () => {
    const findings = checkReferences([
      ...base,
      deployment({
        serviceAccountName: 'web',
        containers: [
          {
            name: 'web',
            image: 'nginx',
            envFrom: [{ configMapRef: { name: 'web-config' } }, { secretRef: { name: 'maybe', optional: true } }],
            env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'web-db', key: 'password' } } }],
          },
        ],
        volumes: [
          { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
          { name: 'tls', csi: { driver: 'secrets-store.csi.k8s.io', volumeAttributes: { secretProviderClass: 'web-tls' } } },
        ],
      }),
    ]);
    expect(findings.map((f) => [f.code, f.path, f.message])).toEqual([
      ['ref/missing-service-account', 'spec.template.spec.serviceAccountName', 'ServiceAccount team-a/web does not exist in cluster prod'],
      ['ref/missing-pvc', 'spec.template.spec.volumes[0].persistentVolumeClaim.claimName', 'PersistentVolumeClaim team-a/web-data does not exist in cluster prod'],
      ['ref/missing-secret-provider-class', 'spec.template.spec.volumes[1].csi.volumeAttributes.secretProviderClass', 'SecretProviderClass team-a/web-tls does not exist in cluster prod'],
      ['ref/missing-configmap', 'spec.template.spec.containers[0].envFrom[0].configMapRef.name', 'ConfigMap team-a/web-config does not exist in cluster prod'],
      ['ref/missing-secret', 'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name', 'Secret team-a/web-db does not exist in cluster prod'],
    ]);
  });

  it('counts Secrets produced by an ExternalSecret or a SecretProviderClass as existing', () => {
    const externalSecret = at('clusters/prod/apps/team-a/web/ExternalSecret_team-a_web-db.yaml', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'db', namespace: 'team-a' },
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws' }, target: { name: 'web-db' } },
    });
    const store = at('clusters/prod/infra/ClusterSecretStore_aws.yaml', { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'aws' }, spec: {} });
    const spc = at('clusters/prod/apps/team-a/web/SecretProviderClass_team-a_web-tls.yaml', {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: 'web-tls', namespace: 'team-a' },
      spec: { provider: 'aws', secretObjects: [{ secretName: 'web-tls', type: 'kubernetes.io/tls' }] },
    });
    const web = deployment({
      containers: [{ name: 'web', image: 'nginx', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'web-db', key: 'password' } } }] }],
      volumes: [{ name: 'tls', secret: { secretName: 'web-tls' } }],
    });
    expect(checkReferences([...base, externalSecret, store, spc, web])).toEqual([]);
  });

  it('fails an ExternalSecret whose SecretStore does not exist and suggests the ClusterSecretStore', () => {
    const externalSecret = at('clusters/prod/apps/team-a/web/ExternalSecret_team-a_db.yaml', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'db', namespace: 'team-a' },
      spec: { secretStoreRef: { name: 'aws' } },
    });
    const store = at('clusters/prod/infra/ClusterSecretStore_aws.yaml', { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'aws' }, spec: {} });
    expect(checkReferences([...base, externalSecret, store])).toMatchObject([
      {
        code: 'ref/missing-secret-store',
        path: 'spec.secretStoreRef.name',
        message: 'SecretStore team-a/aws does not exist in cluster prod',
        fix: 'use the ClusterSecretStore (secretStoreRef: { kind: ClusterSecretStore, name: aws }) or add a SecretStore aws in team-a',
      },
    ]);
  });

  it('checks each cluster on its own', () => {
    const inDev = { ...namespace('team-a'), cluster: 'dev' };
    const web = deployment({ containers: [{ name: 'web', image: 'nginx' }] });
    expect(checkReferences([inDev, web])).toMatchObject([{ code: 'ref/missing-namespace', cluster: 'prod' }]);
  });

  it('fails the same object declared twice in a cluster', () => {
    const twice = [namespace('team-a'), { ...namespace('team-a'), file: 'clusters/prod/other/Namespace_team-a.yaml' }];
    expect(checkReferences(twice)).toMatchObject([{ code: 'ref/duplicate-object' }]);
  });
});

describe('checkReferences: Flux values and substitutions', () => {
  it('fails a missing valuesFrom ConfigMap and substituteFrom Secret, and accepts optional ones', () => {
    const release = at('clusters/prod/infra/HelmRelease_web.yaml', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'web', namespace: 'team-a' },
      spec: { chartRef: { kind: 'OCIRepository', name: 'web' }, valuesFrom: [{ kind: 'ConfigMap', name: 'web-values' }, { kind: 'Secret', name: 'extra', optional: true }] },
    });
    const repo = at('clusters/prod/infra/OCIRepository_web.yaml', { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository', metadata: { name: 'web', namespace: 'team-a' }, spec: {} });
    const apps = kustomization('apps', './clusters/prod/apps', [], { postBuild: { substituteFrom: [{ kind: 'Secret', name: 'cluster-vars' }] } });
    expect(checkReferences([...base, release, repo, apps]).map((f) => [f.code, f.path, f.message])).toEqual([
      ['ref/missing-configmap', 'spec.valuesFrom[0]', 'ConfigMap team-a/web-values does not exist in cluster prod'],
      ['ref/missing-secret', 'spec.postBuild.substituteFrom[0]', 'Secret flux-system/cluster-vars does not exist in cluster prod'],
    ]);
  });

  it('fails an OCIRepository whose verification key Secret nobody produces, and accepts one an ExternalSecret syncs', () => {
    const repo = at('clusters/prod/flux-system/gotk-sync.yaml', {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'OCIRepository',
      metadata: { name: 'flux-system', namespace: 'flux-system' },
      spec: { url: 'oci://127.0.0.1:5000/flotilla/prod', ref: { tag: 'prod' }, verify: { provider: 'cosign', secretRef: { name: 'cosign-public-key' } } },
    });
    expect(checkReferences([...base, repo]).map((f) => [f.code, f.path, f.message])).toEqual([
      ['ref/missing-secret', 'spec.verify.secretRef.name', 'Secret flux-system/cosign-public-key (the verification public key) does not exist in cluster prod'],
    ]);
    const key = at('clusters/prod/flux-system/ExternalSecret_key.yaml', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'cosign-public-key', namespace: 'flux-system' },
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform-secrets' }, data: [{ secretKey: 'cosign.pub', remoteRef: { key: 'k' } }] },
    });
    expect(checkReferences([...base, repo, key]).filter((f) => f.path === 'spec.verify.secretRef.name')).toEqual([]);
  });

  it('counts namespaces a HelmRelease creates', () => {
    const release = at('clusters/prod/infra/HelmRelease_karpenter.yaml', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'karpenter', namespace: 'flux-system' },
      spec: { targetNamespace: 'karpenter', install: { createNamespace: true }, chartRef: { kind: 'OCIRepository', name: 'karpenter' } },
    });
    const repo = at('clusters/prod/infra/OCIRepository_karpenter.yaml', { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository', metadata: { name: 'karpenter', namespace: 'flux-system' }, spec: {} });
    const sa = at('clusters/prod/infra/ServiceAccount_karpenter.yaml', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x', namespace: 'karpenter' } });
    expect(checkReferences([release, repo, sa])).toEqual([]);
  });
});

describe('checkReferences: generated CRDs', () => {
  const constraint = at('clusters/prod/policies/FlotillaRequiredLabels_team.yaml', {
    apiVersion: 'constraints.gatekeeper.sh/v1beta1',
    kind: 'FlotillaRequiredLabels',
    metadata: { name: 'team' },
    spec: { parameters: { labels: [{ key: 'team' }] } },
  });
  const template = at('clusters/prod/policy-templates/ConstraintTemplate_flotillarequiredlabels.yaml', {
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: { name: 'flotillarequiredlabels' },
    spec: { crd: { spec: { names: { kind: 'FlotillaRequiredLabels' } } } },
  });

  // Gatekeeper itself (templates.gatekeeper.sh) comes from a HelmRelease next to the templates.
  const gatekeeper = at('clusters/prod/policy-templates/HelmRelease_gatekeeper.yaml', {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'gatekeeper', namespace: 'flux-system', annotations: { 'flotilla.dev/installs-crds': 'templates.gatekeeper.sh' } },
    spec: { chart: { spec: { chart: 'gatekeeper', sourceRef: { kind: 'HelmRepository', name: 'karpenter' } } } },
  });

  it('counts a ConstraintTemplate as installing the constraints group for Kustomizations that depend on it', () => {
    const objects = [...base, kustomization('policy-templates', './clusters/prod/policy-templates'), kustomization('policies', './clusters/prod/policies', ['policy-templates']), gatekeeper, template, constraint];
    expect(checkReferences(objects)).toEqual([]);
  });

  it('fails a constraint applied before its templates', () => {
    const objects = [...base, kustomization('policy-templates', './clusters/prod/policy-templates'), kustomization('policies', './clusters/prod/policies'), gatekeeper, template, constraint];
    expect(checkReferences(objects)).toMatchObject([{ code: 'ref/crd-not-installed', fix: 'add dependsOn: [{ name: policy-templates }] to Kustomization policies' }]);
  });
});

describe('checkReferences: objects without a namespace', () => {
  it('warns about a namespaced object without namespace unless its Kustomization sets targetNamespace', () => {
    const cm = at('clusters/prod/apps/web/ConfigMap_web.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: {} });
    expect(checkReferences([...base, cm])).toMatchObject([{ severity: 'warning', code: 'ref/no-namespace', path: 'metadata.namespace' }]);
    const targeted = kustomization('web', './clusters/prod/apps/web', [], { targetNamespace: 'team-a' });
    expect(checkReferences([...base, targeted, cm])).toEqual([]);
  });
});

describe('checkReferences: routes', () => {
  const gateway = at('clusters/prod/apps/team-a/Gateway_public.yaml', { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'team-a' }, spec: {} });
  const service = at('clusters/prod/apps/team-a/Service_web.yaml', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'team-a' }, spec: {} });
  const plugin = at('clusters/prod/apps/team-a/KongPlugin_rate-limit.yaml', { apiVersion: 'configuration.konghq.com/v1', kind: 'KongPlugin', metadata: { name: 'rate-limit', namespace: 'team-a' }, plugin: 'rate-limiting' });
  const route = (backend: string, annotations: Record<string, string> = {}) =>
    at('clusters/prod/apps/team-a/HTTPRoute_web.yaml', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: 'team-a', annotations },
      spec: { parentRefs: [{ name: 'public' }, { name: 'internal', namespace: 'gateways' }], rules: [{ backendRefs: [{ name: backend, port: 80 }] }] },
    });

  it('fails missing Gateways, Services and KongPlugins, and accepts existing ones', () => {
    const findings = checkReferences([...base, gateway, service, plugin, route('web-v2', { 'konghq.com/plugins': 'rate-limit, key-auth' })]);
    expect(findings.map((f) => [f.code, f.path, f.message])).toEqual([
      ['ref/missing-gateway', 'spec.parentRefs[1]', 'Gateway gateways/internal does not exist in cluster prod'],
      ['ref/missing-service', 'spec.rules[0].backendRefs[0]', 'Service team-a/web-v2 does not exist in cluster prod'],
      ['ref/missing-kong-plugin', 'metadata.annotations["konghq.com/plugins"]', 'KongPlugin team-a/key-auth does not exist in cluster prod (nor a KongClusterPlugin key-auth)'],
    ]);
  });

  it('fails an Ingress backend Service that does not exist', () => {
    const ingress = at('clusters/prod/apps/team-a/Ingress_web.yaml', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'team-a' },
      spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }, { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }] },
    });
    expect(checkReferences([...base, service, ingress])).toMatchObject([{ code: 'ref/missing-service', path: 'spec.rules[0].http.paths[1].backend.service.name', message: 'Service team-a/api does not exist in cluster prod' }]);
  });
});
