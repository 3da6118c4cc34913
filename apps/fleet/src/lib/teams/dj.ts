import type { DjApiProps } from '@flotilla/charts/workloads/dj-api';
import type { FleetCluster } from '../fleet-defaults';
import { defineTeam, imageOn, type ImagePin } from './catalog';

/** dj's settings per environment: the API's two versions, its host and its replica floor. */
export interface DjEnvironment {
  readonly api: {
    readonly images: { readonly v1: ImagePin; readonly v2: ImagePin };
    readonly hostname: string;
    /** @default - the app's default */
    readonly minReplicas?: number;
  };
}

/** dj: the jazz/metal API behind Kong with a v2 canary. */
export const dj = defineTeam<DjEnvironment>({
  name: 'dj',
  costCenter: 'cc-3001',
  group: 'dj-developers',
  environments: {
    dev: { api: { images: { v1: 'dj/http-echo:1.0.0', v2: 'dj/http-echo:1.1.0' }, hostname: 'api.dev.example.com', minReplicas: 1 } },
    prod: {
      api: {
        images: {
          v1: 'dj/http-echo:1.0.0@sha256:0c1d2e3f4a5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
          v2: 'dj/http-echo:1.1.0@sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0',
        },
        hostname: 'api.example.com',
      },
    },
  },
});

/** dj-api's catalog settings on cluster `c`. */
export function djApiSettings(c: FleetCluster): Pick<DjApiProps, 'images' | 'hostname' | 'minReplicas'> {
  const { images, ...api } = dj.settings(c).api;
  return { images: { v1: imageOn(c, images.v1), v2: imageOn(c, images.v2) }, ...api };
}
