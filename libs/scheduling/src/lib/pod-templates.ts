import type { KubeObject, RenderedObject } from '@flotilla/model';
import { add, max, resourceList, type Resources } from './resources';

/** The parts of a PodSpec the scheduling check reads. */
export interface PodSpec {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly overhead?: Record<string, unknown>;
  readonly nodeSelector?: Record<string, string>;
  readonly affinity?: { readonly nodeAffinity?: { readonly requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector } };
  readonly tolerations?: readonly Toleration[];
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[];
  readonly volumes?: readonly Volume[];
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly restartPolicy?: string;
  readonly resources?: { readonly requests?: Record<string, unknown>; readonly limits?: Record<string, unknown> };
}

export interface NodeSelector {
  readonly nodeSelectorTerms: readonly NodeSelectorTerm[];
}

export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly LabelRequirement[];
  readonly matchFields?: readonly LabelRequirement[];
}

export interface LabelRequirement {
  readonly key: string;
  readonly operator: string;
  /** @default - no values */
  readonly values?: readonly string[];
}

export interface Toleration {
  /** @default - every key (with operator Exists) */
  readonly key?: string;
  /** @default 'Equal' */
  readonly operator?: string;
  /** @default '' */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: string;
  /** @default - tolerated forever */
  readonly tolerationSeconds?: number;
}

export interface TopologySpreadConstraint {
  readonly topologyKey: string;
  readonly whenUnsatisfiable: string;
  readonly maxSkew?: number;
}

export interface Volume {
  readonly name: string;
  readonly csi?: { readonly driver: string };
  readonly persistentVolumeClaim?: { readonly claimName: string };
  readonly ephemeral?: { readonly volumeClaimTemplate?: { readonly spec?: { readonly storageClassName?: string } } };
}

/** One pod template of a workload, with where it is in the file. */
export interface PodTemplate {
  readonly entry: RenderedObject;
  readonly object: KubeObject;
  readonly namespace: string;
  readonly spec: PodSpec;
  /** Dotted path of the PodSpec in the object, e.g. `spec.template.spec`. */
  readonly path: string;
}

/** Workload kinds and where their PodSpec is. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
};

export const WORKLOAD_KINDS: readonly string[] = Object.keys(POD_SPEC_PATHS);

/** The pod template of a workload object, or undefined for other kinds. */
export function podTemplateOf(entry: RenderedObject): PodTemplate | undefined {
  const path = POD_SPEC_PATHS[entry.object.kind];
  if (!path || (entry.object.kind !== 'Pod' && !entry.object.apiVersion.startsWith(entry.object.kind.endsWith('Job') ? 'batch/' : 'apps/'))) return undefined;
  let spec: unknown = entry.object;
  for (const key of path) spec = spec && typeof spec === 'object' ? (spec as Record<string, unknown>)[key] : undefined;
  if (!spec || typeof spec !== 'object') return undefined;
  return { entry, object: entry.object, namespace: entry.object.metadata.namespace ?? 'default', spec: spec as PodSpec, path: path.join('.') };
}

/** `LimitRange` defaults for containers of one namespace (`type: Container`). */
export interface ContainerDefaults {
  /** `defaultRequest`, falling back to `default` as the LimitRange admission does. */
  readonly requests: Resources;
  readonly limits: Resources;
}

/** The container defaults of every namespace's LimitRanges. */
export function containerDefaults(objects: readonly RenderedObject[]): Map<string, ContainerDefaults> {
  const out = new Map<string, ContainerDefaults>();
  for (const { object } of objects) {
    if (object.kind !== 'LimitRange' || object.apiVersion !== 'v1') continue;
    const limits = ((object.spec as { limits?: { type?: string; default?: unknown; defaultRequest?: unknown; max?: unknown }[] })?.limits ?? []).filter((l) => l.type === 'Container');
    for (const limit of limits) {
      const namespace = object.metadata.namespace ?? 'default';
      const defaultLimits = { ...resourceList(limit.max), ...resourceList(limit.default) };
      const previous = out.get(namespace) ?? { requests: {}, limits: {} };
      out.set(namespace, {
        requests: { ...previous.requests, ...defaultLimits, ...resourceList(limit.defaultRequest) },
        limits: { ...previous.limits, ...defaultLimits },
      });
    }
  }
  return out;
}

/** A container's requests after API defaulting: a missing request takes the limit, then the LimitRange default. */
function containerRequests(container: Container, defaults?: ContainerDefaults): Resources {
  const requests = resourceList(container.resources?.requests);
  const limits = resourceList(container.resources?.limits);
  const out: Resources = { ...(defaults?.requests ?? {}) };
  // A LimitRange default request never exceeds the container's own limit.
  for (const [name, amount] of Object.entries(out)) if (limits[name] !== undefined) out[name] = Math.min(amount, limits[name]);
  for (const [name, amount] of Object.entries(limits)) if (requests[name] === undefined) out[name] = amount;
  return { ...out, ...requests };
}

/**
 * What the scheduler reserves for a pod (Kubernetes `resourcehelper.PodRequests`): the larger of
 * (containers plus restartable init containers, i.e. sidecars) and the peak of the init sequence,
 * plus the pod overhead; one `pods` slot.
 */
export function podRequests(spec: PodSpec, defaults?: ContainerDefaults): Resources {
  let sidecars: Resources = {};
  let initPeak: Resources = {};
  for (const init of spec.initContainers ?? []) {
    const requests = containerRequests(init, defaults);
    if (init.restartPolicy === 'Always') {
      sidecars = add(sidecars, requests);
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(sidecars, requests));
    }
  }
  const running = (spec.containers ?? []).reduce((sum, container) => add(sum, containerRequests(container, defaults)), sidecars);
  return add(add(max(running, initPeak), resourceList(spec.overhead)), { pods: 1 });
}
