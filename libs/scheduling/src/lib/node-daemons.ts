import { describeObject, type RenderedObject } from '@flotilla/model';
import { CHART_DAEMONS } from './helm-daemons';
import type { Placement } from './node-match';
import { podRequests, podTemplateOf, type ContainerDefaults } from './pod-templates';
import type { Resources } from './resources';

/** A DaemonSet that runs on every node it tolerates and selects: rendered, or rendered by a chart in the cluster. */
export interface NodeDaemon {
  /** `DaemonSet ns/name`, or `DaemonSet ns/name of HelmRelease ns/release` for chart-rendered ones. */
  readonly name: string;
  readonly entry: RenderedObject;
  readonly placement: Placement;
  /** Requests of one of its pods, `pods: 1` included. */
  readonly requests: Resources;
  readonly csiDrivers: readonly string[];
  readonly advertises: readonly string[];
  /** How to make it tolerate a taint, for fix messages. */
  readonly tolerationsHint: string;
}

/** Device plugin images and the extended resources they advertise. */
const DEVICE_PLUGIN_IMAGES: readonly { readonly image: RegExp; readonly resources: readonly string[] }[] = [
  { image: /(^|\/)nvidia\/k8s-device-plugin[:@]/, resources: ['nvidia.com/gpu'] },
  { image: /(^|\/)neuron-device-plugin[:@]/, resources: ['aws.amazon.com/neuron', 'aws.amazon.com/neuroncore'] },
  { image: /(^|\/)aws-efa-k8s-device-plugin[:@]/, resources: ['vpc.amazonaws.com/efa'] },
  { image: /(^|\/)rocm\/k8s-device-plugin[:@]/, resources: ['amd.com/gpu'] },
];

/** node-driver-registrar's `--kubelet-registration-path=/var/lib/kubelet/plugins/<driver>/csi.sock` names the CSI driver. */
const REGISTRATION_PATH = /--kubelet-registration-path=\S*\/plugins\/([^/\s]+)\/csi\.sock/;

/** Every node DaemonSet of the cluster: rendered DaemonSets and those of HelmReleases of known charts. */
export function readNodeDaemons(objects: readonly RenderedObject[], defaults: ReadonlyMap<string, ContainerDefaults>): NodeDaemon[] {
  const daemons: NodeDaemon[] = [];
  for (const entry of objects) {
    const { object } = entry;
    if (object.kind === 'DaemonSet') {
      const template = podTemplateOf(entry);
      if (!template) continue;
      const containers = [...(template.spec.initContainers ?? []), ...(template.spec.containers ?? [])];
      const args = containers.flatMap((container) => [...((container as { args?: string[] }).args ?? []), ...((container as { command?: string[] }).command ?? [])]);
      daemons.push({
        name: describeObject(object),
        entry,
        placement: {
          tolerations: template.spec.tolerations,
          nodeSelector: template.spec.nodeSelector,
          requiredNodeAffinity: template.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
        },
        requests: podRequests(template.spec, defaults.get(template.namespace)),
        csiDrivers: [...new Set(args.map((arg) => REGISTRATION_PATH.exec(arg)?.[1]).filter((driver): driver is string => driver !== undefined))],
        advertises: DEVICE_PLUGIN_IMAGES.filter((plugin) => containers.some((container) => plugin.image.test(container.image ?? ''))).flatMap((plugin) => plugin.resources),
        tolerationsHint: `add the toleration to ${template.path}.tolerations`,
      });
    } else if (object.kind === 'HelmRelease' && object.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
      const spec = (object.spec ?? {}) as { chart?: { spec?: { chart?: string } }; values?: Record<string, unknown>; suspend?: boolean };
      const chart = CHART_DAEMONS.find((known) => known.chart === spec.chart?.spec?.chart);
      if (!chart || spec.suspend) continue;
      for (const daemon of chart.daemons(spec.values ?? {})) {
        daemons.push({
          name: `DaemonSet ${object.metadata.namespace ?? 'default'}/${daemon.daemonSet} of ${describeObject(object)}`,
          entry,
          placement: { tolerations: daemon.tolerations, nodeSelector: daemon.nodeSelector, requiredNodeAffinity: daemon.requiredNodeAffinity },
          requests: { ...daemon.requests, pods: 1 },
          csiDrivers: daemon.csiDrivers ?? [],
          advertises: daemon.advertises ?? [],
          tolerationsHint: `add the toleration to the HelmRelease's spec.values.${daemon.tolerationsValue}`,
        });
      }
    }
  }
  return daemons;
}
