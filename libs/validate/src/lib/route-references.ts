import { apiGroupOf, findingFor, joinFieldPath, type Finding, type RenderedObject } from '@flotilla/model';
import { field, listOf, type ClusterIndex } from './cluster-index';

const GATEWAY = 'gateway.networking.k8s.io';
const KONG = 'configuration.konghq.com';
const KONG_PLUGINS_ANNOTATION = 'konghq.com/plugins';

interface Ref {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  port?: unknown;
}

function missing(index: ClusterIndex, rendered: RenderedObject, code: string, path: (string | number)[], what: string, fix: string): Finding {
  return findingFor(rendered, {
    severity: 'error',
    code,
    path: joinFieldPath(path),
    message: `${what} does not exist in cluster ${index.cluster ?? '(none)'}`,
    fix,
  });
}

/** Gateway API routes: parentRefs to Gateways and backendRefs to Services (the default kinds). */
function routeReferences(index: ClusterIndex, rendered: RenderedObject): Finding[] {
  const findings: Finding[] = [];
  const namespace = rendered.object.metadata.namespace ?? 'default';
  listOf<Ref>(field(rendered.object.spec, 'parentRefs')).forEach((ref, i) => {
    if (typeof ref?.name !== 'string' || (ref.group ?? GATEWAY) !== GATEWAY || (ref.kind ?? 'Gateway') !== 'Gateway') return;
    const ns = ref.namespace ?? namespace;
    if (!index.has(GATEWAY, 'Gateway', ns, ref.name)) {
      findings.push(missing(index, rendered, 'ref/missing-gateway', ['spec', 'parentRefs', i], `Gateway ${ns}/${ref.name}`, `add the Gateway or point parentRefs[${i}] at an existing one`));
    }
  });
  listOf<Record<string, unknown>>(field(rendered.object.spec, 'rules')).forEach((rule, r) => {
    listOf<Ref>(rule?.backendRefs).forEach((ref, b) => {
      if (typeof ref?.name !== 'string' || (ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service') return;
      const ns = ref.namespace ?? namespace;
      const service = index.get('', 'Service', ns, ref.name);
      if (!service) {
        findings.push(missing(index, rendered, 'ref/missing-service', ['spec', 'rules', r, 'backendRefs', b], `Service ${ns}/${ref.name}`, `add the Service ${ref.name} in ${ns} or fix the backendRef`));
      } else if (typeof ref.port === 'number') {
        const problem = portProblem(service, ref.port);
        if (problem) findings.push(findingFor(rendered, { severity: 'error', code: 'ref/missing-service-port', path: joinFieldPath(['spec', 'rules', r, 'backendRefs', b, 'port']), ...problem }));
      }
    });
  });
  return findings;
}

/** Ingress backends (default backend and every path) name Services in the Ingress's namespace. */
function ingressReferences(index: ClusterIndex, rendered: RenderedObject): Finding[] {
  const findings: Finding[] = [];
  const namespace = rendered.object.metadata.namespace ?? 'default';
  const check = (backend: unknown, path: (string | number)[]) => {
    const name = field<unknown>(backend, 'name');
    if (typeof name !== 'string') return;
    const service = index.get('', 'Service', namespace, name);
    if (!service) {
      findings.push(missing(index, rendered, 'ref/missing-service', [...path, 'name'], `Service ${namespace}/${name}`, `add the Service ${name} in ${namespace} or fix the backend`));
      return;
    }
    const port = field<unknown>(backend, 'port', 'number') ?? field<unknown>(backend, 'port', 'name');
    const problem = typeof port === 'number' || typeof port === 'string' ? portProblem(service, port) : undefined;
    if (problem) findings.push(findingFor(rendered, { severity: 'error', code: 'ref/missing-service-port', path: joinFieldPath([...path, 'port']), ...problem }));
  };
  check(field(rendered.object.spec, 'defaultBackend', 'service'), ['spec', 'defaultBackend', 'service']);
  listOf<Record<string, unknown>>(field(rendered.object.spec, 'rules')).forEach((rule, r) => {
    listOf<Record<string, unknown>>(field(rule, 'http', 'paths')).forEach((entry, p) => {
      check(field(entry, 'backend', 'service'), ['spec', 'rules', r, 'http', 'paths', p, 'backend', 'service']);
    });
  });
  return findings;
}

/** Why a backend port (number or name) is not a port of the Service, or undefined. */
function portProblem(service: RenderedObject, port: number | string): { message: string; fix: string } | undefined {
  const ports = listOf<{ port?: unknown; name?: unknown }>(field(service.object.spec, 'ports'));
  // A Service without ports (headless, or ports added elsewhere) cannot be judged.
  if (ports.length === 0 || ports.some((entry) => (typeof port === 'number' ? entry?.port === port : entry?.name === port))) return undefined;
  const known = ports.map((entry) => (entry?.name ? `${String(entry.name)} (${String(entry.port)})` : String(entry?.port))).join(', ');
  return {
    message: `Service ${service.object.metadata.namespace ?? 'default'}/${service.object.metadata.name} has no port ${typeof port === 'number' ? port : `named "${port}"`}, so requests have nowhere to go`,
    fix: `use one of the Service's ports: ${known}`,
  };
}

/** `konghq.com/plugins: a,b` names KongPlugins in the object's namespace or KongClusterPlugins. */
function kongPluginReferences(index: ClusterIndex, rendered: RenderedObject): Finding[] {
  const plugins: unknown = rendered.object.metadata.annotations?.[KONG_PLUGINS_ANNOTATION];
  if (typeof plugins !== 'string') return [];
  const namespace = rendered.object.metadata.namespace ?? 'default';
  return plugins
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name && !index.has(KONG, 'KongPlugin', namespace, name) && !index.has(KONG, 'KongClusterPlugin', undefined, name))
    .map((name) =>
      findingFor(rendered, {
        severity: 'error',
        code: 'ref/missing-kong-plugin',
        path: `metadata.annotations["${KONG_PLUGINS_ANNOTATION}"]`,
        message: `KongPlugin ${namespace}/${name} does not exist in cluster ${index.cluster ?? '(none)'} (nor a KongClusterPlugin ${name})`,
        fix: `add the KongPlugin ${name} in ${namespace} or remove it from ${KONG_PLUGINS_ANNOTATION}`,
      }),
    );
}

/** (e) Routing references: Gateway API routes, Ingresses and Kong plugin annotations. */
export function checkRouteReferences(index: ClusterIndex): Finding[] {
  const findings: Finding[] = [];
  for (const rendered of index.objects) {
    const { object } = rendered;
    const group = apiGroupOf(object.apiVersion);
    if (group === GATEWAY && (object.kind === 'HTTPRoute' || object.kind === 'GRPCRoute')) findings.push(...routeReferences(index, rendered));
    if (group === 'networking.k8s.io' && object.kind === 'Ingress') findings.push(...ingressReferences(index, rendered));
    findings.push(...kongPluginReferences(index, rendered));
  }
  return findings;
}
