import { defineReleases } from '@flotilla/config';
import { stages } from './fleet-defaults';

// The fleet's release pins: what each stage runs, per workload unit, by digest. Environment
// settings (replicas, hosts, quotas) live in the team catalog (lib/teams/); only this file changes
// when a release moves. Edited by `flotilla set-image` and `flotilla promote`; keep every pin a
// plain string literal. An image without a registry host is in the cluster's own ECR registry.
// The digests of this example fleet are placeholders (syntactically valid, not real images).
export const releases = defineReleases(stages, {
  dev: {
    'team-a-web': { web: 'public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b' },
    'config-demo': {
      app: 'public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b',
      agent: 'public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147@sha256:7c3e1a9b5d2f4e6a8c0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c',
    },
    comfyui: { comfyui: 'imagegen/comfyui:0.3.66-cu128@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945' },
    'dj-api': {
      v1: 'dj/http-echo:1.0.0@sha256:0c1d2e3f4a5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
      v2: 'dj/http-echo:1.2.0@sha256:6f3b7b828b5c9f4c54d6a835b8148b59d45792a7a1de50539f066394024542ea',
    },
  },
  staging: {
    'team-a-web': { web: 'public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b' },
    'config-demo': {
      app: 'public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b',
      agent: 'public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147@sha256:7c3e1a9b5d2f4e6a8c0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c',
    },
    comfyui: { comfyui: 'imagegen/comfyui:0.3.66-cu128@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945' },
    'dj-api': {
      v1: 'dj/http-echo:1.0.0@sha256:0c1d2e3f4a5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
      v2: 'dj/http-echo:1.1.0@sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0',
    },
  },
  // prod runs only images CI mirrored into its ECR and signed (Gatekeeper with Ratify denies the rest): the public
  // images are copied byte for byte, so their digests stay the same.
  prod: {
    'team-a-web': { web: 'nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b' },
    'config-demo': {
      app: 'nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b',
      agent: 'aws-appconfig/aws-appconfig-agent:2.0.13147@sha256:7c3e1a9b5d2f4e6a8c0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c',
    },
    comfyui: { comfyui: 'imagegen/comfyui:0.3.66-cu128@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945' },
    'dj-api': {
      v1: 'dj/http-echo:1.0.0@sha256:0c1d2e3f4a5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
      v2: 'dj/http-echo:1.1.0@sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0',
    },
  },
});

