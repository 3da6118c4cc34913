import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Duration } from '@flotilla/config';
import type { NodeModelSyncOptions } from '@flotilla/charts/platform/karpenter';
import { COMFYUI_MODELS_HOST_PATH, COMFYUI_UID, type ComfyUiProps } from '@flotilla/charts/workloads/comfyui';
import type { FleetCluster } from '../fleet-defaults';
import { releases } from '../releases';
import { defineTeam, imageOn } from './catalog';

/** imagegen's settings per environment: its quota and the GPU service's image, host and replicas. */
export interface ImagegenEnvironment {
  readonly quota: { readonly cpus: number; readonly memoryGiB: number; readonly gpus: number };
  /** comfyui's host and replicas (its image is a release pin, lib/releases.ts). */
  readonly comfyui: { readonly host: string; readonly replicas: number };
}

/** The bucket comfyui writes its outputs to, in the cluster's account and region (the S3 CSI driver mounts it). */
export function imagegenOutputsBucket(c: FleetCluster): string {
  return c.bucketName('imagegen-outputs');
}

/** The versioned bucket imagegen uploads comfyui's models to (comfyui declares it; the GPU nodes read it). */
export function imagegenModelsBucket(c: FleetCluster): string {
  return c.bucketName('imagegen-models');
}

/** The GPU pool's model sync: the models bucket onto each node's instance store, owned by comfyui's uid. */
export function imagegenModelSync(c: FleetCluster): NodeModelSyncOptions {
  return { bucketName: imagegenModelsBucket(c), region: c.region, hostPath: COMFYUI_MODELS_HOST_PATH, ownerUid: COMFYUI_UID, interval: Duration.minutes(10) };
}

/** imagegen: the GPU image-generation service; models on instance store, outputs in S3. */
export const imagegen = defineTeam<ImagegenEnvironment>({
  name: 'imagegen',
  costCenter: 'cc-2001',
  group: 'imagegen-developers',
  environments: {
    dev: {
      quota: { cpus: 16, memoryGiB: 64, gpus: 2 },
      comfyui: { host: 'comfyui.dev.example.com', replicas: 1 },
    },
    staging: {
      quota: { cpus: 16, memoryGiB: 64, gpus: 2 },
      comfyui: { host: 'comfyui.staging.example.com', replicas: 1 },
    },
    prod: {
      quota: { cpus: 32, memoryGiB: 128, gpus: 4 },
      comfyui: { host: 'comfyui.example.com', replicas: 1 },
    },
  },
  config: (c, { quota, comfyui }) => ({
    // Routes in the team's namespace may answer only these hostnames (FlotillaRouteHostnames).
    hostnames: [comfyui.host],
    // PSA has no per-path exemption and forbids hostPath below "privileged"; Gatekeeper's
    // FlotillaRestricted still enforces restricted here except comfyui's read-only hostPath.
    podSecurity: { enforce: 'privileged', reason: 'comfyui mounts the GPU nodes\' instance store read-only (hostPath /mnt/k8s-disks/0/models)' },
    quota: { cpuRequests: kplus.Cpu.units(quota.cpus), memoryRequests: Size.gibibytes(quota.memoryGiB), memoryLimits: Size.gibibytes(quota.memoryGiB), gpus: quota.gpus },
    s3Volumes: [{ claimName: 'comfyui-outputs', bucketName: imagegenOutputsBucket(c), prefix: 'outputs/', region: c.region }],
  }),
});

/** comfyui's catalog settings on cluster `c`. */
export function comfyUiSettings(c: FleetCluster): Pick<ComfyUiProps, 'image' | 'host' | 'replicas' | 'models'> {
  return { image: imageOn(c, releases.of(c.environment).comfyui.comfyui), ...imagegen.settings(c).comfyui, models: { bucketName: imagegenModelsBucket(c), region: c.region } };
}
