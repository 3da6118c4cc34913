import { apiGroupOf, findingFor, joinFieldPath, type Finding, type RenderedObject } from '@flotilla/model';
import { field, listOf } from './cluster-index';

/** Where the pod spec of each workload kind is (keyed `<api group>/<kind>`). */
export const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  'apps/Deployment': ['spec', 'template', 'spec'],
  'apps/StatefulSet': ['spec', 'template', 'spec'],
  'apps/DaemonSet': ['spec', 'template', 'spec'],
  'apps/ReplicaSet': ['spec', 'template', 'spec'],
  'batch/Job': ['spec', 'template', 'spec'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  '/Pod': ['spec'],
};

interface Container {
  name?: unknown;
  ports?: { name?: unknown; containerPort?: unknown; protocol?: unknown }[];
  [probe: string]: unknown;
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/**
 * Pod spec consistency the schema cannot express: container names are unique across init, regular
 * and ephemeral containers, and port names unique within a container (the API server rejects
 * duplicates); a probe that names a port names one of its container's ports (else the kubelet
 * fails the probe forever: the pod never becomes ready, or is restarted in a loop).
 */
export function checkPodSpecs(objects: readonly RenderedObject[]): Finding[] {
  const findings: Finding[] = [];
  for (const rendered of objects) {
    const base = POD_SPEC_PATHS[`${apiGroupOf(rendered.object.apiVersion)}/${rendered.object.kind}`];
    if (!base) continue;
    const spec = field<Record<string, unknown>>(rendered.object, ...base);
    if (!spec || typeof spec !== 'object') continue;
    const names = new Map<string, string>();
    for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
      listOf<Container>(spec[list]).forEach((container, c) => {
        const at = [...base, list, c];
        if (typeof container?.name === 'string') {
          const first = names.get(container.name);
          if (first) {
            findings.push(
              findingFor(rendered, {
                severity: 'error',
                code: 'pod/duplicate-container-name',
                path: joinFieldPath([...at, 'name']),
                message: `container name "${container.name}" is already used by ${first}; the API server rejects duplicate names`,
                fix: 'give every container (init, regular and ephemeral) its own name',
              }),
            );
          } else names.set(container.name, joinFieldPath(at));
        }
        const portNames = new Set<string>();
        listOf<NonNullable<Container['ports']>[number]>(container?.ports).forEach((port, p) => {
          if (typeof port?.name !== 'string') return;
          if (portNames.has(port.name)) {
            findings.push(
              findingFor(rendered, {
                severity: 'error',
                code: 'pod/duplicate-port-name',
                path: joinFieldPath([...at, 'ports', p, 'name']),
                message: `port name "${port.name}" is used twice in container ${String(container?.name)}; the API server rejects it`,
                fix: 'name each port of a container differently',
              }),
            );
          }
          portNames.add(port.name);
        });
        for (const probe of PROBES) {
          for (const handler of ['httpGet', 'tcpSocket'] as const) {
            const port = field<unknown>(container?.[probe], handler, 'port');
            if (typeof port !== 'string' || /^\d+$/.test(port) || portNames.has(port)) continue;
            findings.push(
              findingFor(rendered, {
                severity: 'error',
                code: 'pod/missing-probe-port',
                path: joinFieldPath([...at, probe, handler, 'port']),
                message: `${probe} uses port "${port}", which container ${String(container?.name)} does not declare (ports: ${[...portNames].join(', ') || 'none named'}), so the probe always fails`,
                fix: `name a containerPort "${port}" in this container, or use one of its port names or a number`,
              }),
            );
          }
        }
      });
    }
  }
  return findings;
}
