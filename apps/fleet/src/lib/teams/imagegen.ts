import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { ComfyUiProps } from '@flotilla/charts/workloads/comfyui';
import type { FleetCluster } from '../fleet-defaults';
import { defineTeam, imageOn, type ImagePin } from './catalog';

/** imagegen's settings per environment: its quota and the GPU service's image, host and replicas. */
export interface ImagegenEnvironment {
  readonly quota: { readonly cpus: number; readonly memoryGiB: number; readonly gpus: number };
  readonly comfyui: { readonly image: ImagePin; readonly host: string; readonly replicas: number };
}

/** The bucket comfyui writes its outputs to, in the cluster's account and region (the S3 CSI driver mounts it). */
export function imagegenOutputsBucket(c: FleetCluster): string {
  return c.bucketName('imagegen-outputs');
}

/** imagegen: the GPU image-generation service; models on instance store, outputs in S3. */
export const imagegen = defineTeam<ImagegenEnvironment>({
  name: 'imagegen',
  costCenter: 'cc-2001',
  group: 'imagegen-developers',
  environments: {
    dev: {
      quota: { cpus: 16, memoryGiB: 64, gpus: 2 },
      comfyui: { image: 'imagegen/comfyui:0.3.66-cu128', host: 'comfyui.dev.example.com', replicas: 1 },
    },
    prod: {
      quota: { cpus: 32, memoryGiB: 128, gpus: 4 },
      comfyui: { image: 'imagegen/comfyui:0.3.66-cu128@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945', host: 'comfyui.example.com', replicas: 1 },
    },
  },
  config: (c, { quota }) => ({
    // PSA has no per-path exemption and forbids hostPath below "privileged"; Gatekeeper's
    // FlotillaRestricted still enforces restricted here except comfyui's read-only hostPath.
    podSecurity: { enforce: 'privileged', reason: 'comfyui mounts the GPU nodes\' instance store read-only (hostPath /mnt/k8s-disks/0/models)' },
    quota: { cpuRequests: kplus.Cpu.units(quota.cpus), memoryRequests: Size.gibibytes(quota.memoryGiB), memoryLimits: Size.gibibytes(quota.memoryGiB), gpus: quota.gpus },
    s3Volumes: [{ claimName: 'comfyui-outputs', bucketName: imagegenOutputsBucket(c), prefix: 'outputs/', region: c.region }],
  }),
});

/** comfyui's catalog settings on cluster `c`. */
export function comfyUiSettings(c: FleetCluster): Pick<ComfyUiProps, 'image' | 'host' | 'replicas'> {
  const { image, ...comfyui } = imagegen.settings(c).comfyui;
  return { image: imageOn(c, image), ...comfyui };
}
