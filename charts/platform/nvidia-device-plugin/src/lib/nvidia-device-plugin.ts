import { type Unit, unitCallSite } from '@flotilla/config';
import { GPU_TAINT_TOLERATION, HelmAddon, VERSIONS, checkTolerations, type NodeToleration } from '@flotilla/constructs';

export const NVIDIA_DEVICE_PLUGIN_PROJECT = 'nvidia-device-plugin';
/**
 * kube-system, like the other node plugins: Gatekeeper exempts it, so the plugin's image
 * (nvcr.io) need not be on the tenants' allowed registries.
 */
export const NVIDIA_DEVICE_PLUGIN_NAMESPACE = 'kube-system';

/** Karpenter labels every node with its instance type's GPU maker; NVIDIA GPU nodes carry `nvidia`. */
export const NVIDIA_GPU_NODE_LABEL = { key: 'karpenter.k8s.aws/instance-gpu-manufacturer', value: 'nvidia' } as const;

export interface NvidiaDevicePluginProps {
  /**
   * Taints of the GPU nodes the plugin must tolerate (it must run wherever a pod requests
   * `nvidia.com/gpu`).
   *
   * @default [GPU_TAINT_TOLERATION] (`nvidia.com/gpu:NoSchedule`, the GPU pool's taint)
   */
  readonly tolerations?: readonly NodeToleration[];
  /**
   * Node label that marks NVIDIA GPU nodes. The chart's default affinity needs Node Feature
   * Discovery labels (`feature.node.kubernetes.io/pci-10de.present`), which Karpenter nodes do not
   * have without NFD; Karpenter's own instance label is there from boot.
   *
   * @default NVIDIA_GPU_NODE_LABEL
   */
  readonly gpuNodeLabel?: { readonly key: string; readonly value: string };
}

interface NodeSelectorRequirementValue {
  readonly key: string;
  readonly operator: 'In';
  readonly values: readonly string[];
}

/** The values this project sets (chart `nvidia-device-plugin` 0.20.0). */
export interface NvidiaDevicePluginValues {
  readonly tolerations: readonly NodeToleration[];
  readonly affinity: {
    readonly nodeAffinity: {
      readonly requiredDuringSchedulingIgnoredDuringExecution: { readonly nodeSelectorTerms: readonly { readonly matchExpressions: readonly NodeSelectorRequirementValue[] }[] };
    };
  };
  /** Off: GPU Feature Discovery needs Node Feature Discovery, which this platform does not run. */
  readonly gfd: { readonly enabled: boolean };
}

/**
 * NVIDIA device plugin (`nvidia-device-plugin` 0.20.0 from https://nvidia.github.io/k8s-device-plugin):
 * a DaemonSet that advertises `nvidia.com/gpu` on GPU nodes. AL2023 accelerated AMIs ship the
 * driver and container toolkit but not the plugin; Bottlerocket NVIDIA variants run it themselves,
 * so a GPU pool on Bottlerocket does not need this unit. No CRDs, no AWS identity.
 */
export function nvidiaDevicePlugin(props: NvidiaDevicePluginProps = {}): Unit {
  const tolerations = props.tolerations ?? [GPU_TAINT_TOLERATION];
  checkTolerations('nvidiaDevicePlugin tolerations', tolerations);
  const label = props.gpuNodeLabel ?? NVIDIA_GPU_NODE_LABEL;
  if (!label.key || !label.value) {
    throw new Error(`nvidiaDevicePlugin gpuNodeLabel is ${JSON.stringify(label)}; set both key and value, e.g. ${JSON.stringify(NVIDIA_GPU_NODE_LABEL)}`);
  }
  return {
    name: NVIDIA_DEVICE_PLUGIN_PROJECT,
    project: NVIDIA_DEVICE_PLUGIN_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    render(scope) {
      new HelmAddon<NvidiaDevicePluginValues>(scope, 'DevicePlugin', {
        name: 'nvidia-device-plugin',
        namespace: NVIDIA_DEVICE_PLUGIN_NAMESPACE,
        createNamespace: false,
        chart: VERSIONS.nvidiaDevicePlugin,
        installsCrds: [],
        values: {
          tolerations: [...tolerations],
          // Replaces the chart's NFD-label affinity (Helm replaces lists).
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: label.key, operator: 'In', values: [label.value] }] }] },
            },
          },
          gfd: { enabled: false },
        },
      });
    },
  };
}
