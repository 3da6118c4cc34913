/**
 * Schema validation throughput on a typical workload mix (Deployments, Services, ConfigMaps,
 * ServiceAccounts, ExternalSecrets, HTTPRoutes, Flux Kustomizations/HelmReleases, NodePools).
 *   nx run validate:bench            (or: tsx libs/validate/scripts/bench.ts [objects])
 */
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { checkReferences, checkSecrets, SchemaValidator } from '../src';

const count = Number(process.argv[2] ?? 20_000);

function tenant(i: number): KubeObject[] {
  const ns = `team-${i % 50}`;
  const name = `app-${i}`;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': ns };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns, annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::123456789012:role/${name}` } } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-config`, namespace: ns, labels }, data: { LOG_LEVEL: 'info', FEATURE_X: 'true' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'app',
                image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${name}:1.0.${i}`,
                ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
                envFrom: [{ configMapRef: { name: `${name}-config` } }],
                env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${name}-db`, key: 'password' } } }],
                resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
                readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              },
            ],
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels }, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: `${name}-db`, namespace: ns },
      spec: { refreshInterval: '1h', secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws' }, data: [{ secretKey: 'password', remoteRef: { key: `prod/${ns}/${name}/db`, property: 'password' } }] },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name, namespace: ns },
      spec: { parentRefs: [{ name: 'public', namespace: 'gateway' }], hostnames: [`${name}.example.com`], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name, port: 80 }] }] },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name, namespace: 'flux-system' },
      spec: { interval: '10m', path: `./clusters/prod/apps/${name}`, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, dependsOn: [{ name: 'infra' }] },
    },
    {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name },
      spec: {
        template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }] } },
        limits: { cpu: '1000' },
        disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' },
      },
    },
  ];
}

/** Cluster-wide objects the tenants rely on, so the reference checks do real lookups and find nothing. */
function infra(): RenderedObject[] {
  const at = (file: string, object: KubeObject): RenderedObject => ({ file: `clusters/prod/infra/${file}`, index: 0, object, cluster: 'prod' });
  const release = (name: string, groups: string): KubeObject => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace: 'flux-system', annotations: { 'flotilla.dev/installs-crds': groups } },
    spec: { interval: '1h', chart: { spec: { chart: name, sourceRef: { kind: 'HelmRepository', name: 'charts' } } } },
  });
  return [
    at('Kustomization_infra.yaml', {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'infra', namespace: 'flux-system' },
      spec: { interval: '10m', path: './clusters/prod/infra', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    }),
    at('HelmRepository_charts.yaml', { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'charts', namespace: 'flux-system' }, spec: { url: 'oci://example.com/charts', type: 'oci' } }),
    at('HelmRelease_karpenter.yaml', release('karpenter', 'karpenter.sh,karpenter.k8s.aws')),
    at('HelmRelease_external-secrets.yaml', release('external-secrets', 'external-secrets.io')),
    at('HelmRelease_gateway-api.yaml', release('gateway-api', 'gateway.networking.k8s.io')),
    at('ClusterSecretStore_aws.yaml', { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'aws' }, spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-west-1' } } } }),
    at('Namespace_gateway.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gateway' } }),
    at('Gateway_public.yaml', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: 'gateway' },
      spec: { gatewayClassName: 'kong', listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }] },
    }),
    ...Array.from({ length: 50 }, (_, i) => at(`Namespace_team-${i}.yaml`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${i}` } })),
  ];
}

const objects: RenderedObject[] = infra();
for (let i = 0; objects.length < count; i++) {
  for (const object of tenant(i)) objects.push({ file: `clusters/prod/apps/app-${i}/${object.kind}.yaml`, index: 0, object, cluster: 'prod' });
}
objects.length = count;

const validator = SchemaValidator.load();
let started = performance.now();
validator.validate(objects.slice(0, 16));
const compileMs = performance.now() - started;

const rounds = 3;
let best = Infinity;
let findings = 0;
for (let round = 0; round < rounds; round++) {
  started = performance.now();
  findings = validator.validate(objects).length;
  best = Math.min(best, performance.now() - started);
}
started = performance.now();
const refFindings = checkReferences(objects).length + checkSecrets(objects).length;
const refMs = performance.now() - started;

const kinds = new Set(objects.map((o) => o.object.kind)).size;
console.log(`schema validation: ${count} objects (${kinds} kinds) in ${best.toFixed(0)} ms = ${Math.round((count / best) * 1000)} objects/s (best of ${rounds}; ${findings} findings)`);
console.log(`first use (load bundles, compile ${kinds} kinds): ${compileMs.toFixed(0)} ms`);
console.log(`reference + Secret checks: ${count} objects in ${refMs.toFixed(0)} ms (${refFindings} findings)`);
