/**
 * Measures evaluatePolicies throughput on a synthetic fleet: every policy of policies/ with a
 * constraint, against a mix of workloads and other objects.
 *
 *   tsx --tsconfig tsconfig.base.json libs/policy/scripts/throughput.ts [objects=4000]
 */
import { resolve } from 'node:path';
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { constraintFor, evaluatePolicies, loadPolicyLibrary, POD_WORKLOAD_KINDS } from '../src';
import { findRepoRoot } from '@flotilla/model';

const repoRoot = () => findRepoRoot(__dirname);

const podSpec = (i: number) => ({
  securityContext: { runAsNonRoot: true, runAsUser: 10001 },
  initContainers: [{ name: 'init', image: `ghcr.io/acme/init:1.${i % 7}.0`, resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '32Mi' } } }],
  containers: [
    { name: 'app', image: i % 13 === 0 ? 'nginx:latest' : `ghcr.io/acme/app-${i % 50}:2.${i % 9}.1`, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: i % 11 === 0 ? '512Mi' : '256Mi' } } },
    { name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0', resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '64Mi' } } },
  ],
  ...(i % 17 === 0 ? { hostNetwork: true } : {}),
});

function objectsFor(count: number): RenderedObject[] {
  const out: RenderedObject[] = [];
  for (let i = 0; i < count; i++) {
    const ns = `team-${i % 40}`;
    const labels: Record<string, string> = i % 5 === 0 ? { team: 'a' } : { team: 'a', 'cost-center': '1234' };
    let object: KubeObject;
    switch (i % 8) {
      case 0:
      case 1:
      case 2:
        object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}`, namespace: ns, labels }, spec: { template: { metadata: { labels }, spec: podSpec(i) } } };
        break;
      case 3:
        object = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: `job-${i}`, namespace: ns, labels }, spec: { jobTemplate: { spec: { template: { spec: podSpec(i) } } } } };
        break;
      case 4:
        object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: ns }, data: { a: 'b' } };
        break;
      case 5:
        object = { apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}`, namespace: ns, labels }, spec: { ports: [{ port: 80 }] } };
        break;
      case 6:
        object = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: `ing-${i}`, namespace: ns, annotations: i % 3 ? { 'konghq.com/plugins': 'rate-limit-default' } : {} }, spec: { ingressClassName: 'kong' } };
        break;
      default:
        object = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: `es-${i}`, namespace: ns }, spec: { secretStoreRef: { kind: i % 4 ? 'SecretStore' : 'ClusterSecretStore', name: 'store' } } };
    }
    out.push({ file: `clusters/prod/${object.kind}-${i}.yaml`, index: 0, object, cluster: 'prod' });
  }
  return out;
}

const { templates } = loadPolicyLibrary(resolve(repoRoot(), 'policies'));
const constraints = [
  constraintFor('FlotillaAllowedRepos', 'repos', { parameters: { repos: ['ghcr.io/acme'] }, match: { kinds: POD_WORKLOAD_KINDS } }),
  constraintFor('FlotillaRequiredLabels', 'labels', { parameters: { labels: [{ key: 'team' }, { key: 'cost-center', allowedRegex: '^[0-9]{4}$' }] }, match: { kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] } }),
  constraintFor('FlotillaImageTags', 'tags', { parameters: { requireDigest: false }, match: { kinds: POD_WORKLOAD_KINDS } }),
  constraintFor('FlotillaContainerResources', 'resources', { parameters: {}, match: { kinds: POD_WORKLOAD_KINDS } }),
  constraintFor('FlotillaHostIsolation', 'host', { parameters: { allowedHostPaths: [{ namespace: 'ml', path: '/mnt/instance-store' }] }, match: { kinds: POD_WORKLOAD_KINDS } }),
  constraintFor('FlotillaRunAsNonRoot', 'nonroot', { parameters: {}, match: { kinds: POD_WORKLOAD_KINDS } }),
  constraintFor('FlotillaDefaultServiceAccountToken', 'sa', { parameters: {}, match: { kinds: [...POD_WORKLOAD_KINDS, { apiGroups: [''], kinds: ['ServiceAccount'] }] } }),
  constraintFor('FlotillaRouteRateLimit', 'routes', { parameters: { enabled: true, acceptedPlugins: ['rate-limit-default'] }, match: { kinds: [{ apiGroups: ['networking.k8s.io'], kinds: ['Ingress'] }] } }),
  constraintFor('FlotillaExternalSecretStore', 'stores', { parameters: { allowedClusterSecretStores: [] }, match: { kinds: [{ apiGroups: ['external-secrets.io'], kinds: ['ExternalSecret'] }] } }),
];

const count = Number(process.argv[2] ?? 4000);
// warm-up on a separate object set: compiles the templates once
evaluatePolicies({ templates, constraints, objects: objectsFor(200) });
const objects = objectsFor(count);
const started = performance.now();
const cpuStarted = process.cpuUsage();
const violations = evaluatePolicies({ templates, constraints, objects });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
// CPU time (user + system, all threads incl. GC) is less sensitive than wall time to other load on the machine
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const pairs = objects.length * constraints.length;
console.log(
  `${objects.length} objects x ${constraints.length} constraints = ${pairs} pairs: wall ${seconds.toFixed(3)}s = ${Math.round(pairs / seconds)} pairs/s, ` +
    `cpu ${cpuSeconds.toFixed(3)}s = ${Math.round(pairs / cpuSeconds)} pairs/cpu-s (${violations.length} violations)`,
);
