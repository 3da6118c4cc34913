import { Size } from 'cdk8s';
import { Duration, type ClusterSettings } from '@flotilla/config';
import type { AckProps } from '@flotilla/charts/platform/ack';
import type { AppConfigIds } from '@flotilla/charts/platform/appconfig-sync';
import type { CrossplaneProps } from '@flotilla/charts/platform/crossplane';
import type { ExternalSecretsProps } from '@flotilla/charts/platform/external-secrets';
import type { GatekeeperProps } from '@flotilla/charts/platform/gatekeeper';
import type { ClusterPolicySettings } from '@flotilla/charts/platform/gatekeeper-policies';
import type { KarpenterControllerProps, KarpenterNodePoolsProps } from '@flotilla/charts/platform/karpenter';
import type { DnsZone } from '@flotilla/charts/platform/cert-manager';
import type { KongProps } from '@flotilla/charts/platform/kong';
import type { RatifyProps } from '@flotilla/charts/platform/ratify';
import { type ImagePolicySettings, SignatureEnforcement } from '@flotilla/charts/platform/signing';
import type { ReloaderProps } from '@flotilla/charts/platform/reloader';
import type { SecretsStoreCsiProps } from '@flotilla/charts/platform/secrets-store-csi';
import type { FleetEnvironment } from '../fleet-defaults';

/**
 * What the platform of a cluster may set differently per environment: plain typed values, one entry
 * per environment in {@link platformSettings}. Each area (controllers.ts, configs.ts, tenants.ts,
 * appconfig.ts) is one function of the cluster's facts and these settings, the same code for every
 * cluster. A field left out takes the add-on's own default (its props' `@default`).
 *
 * Versions are not settings: images are release pins (lib/releases.ts, per stage), and the add-ons'
 * chart versions are passed by the chart factories as today.
 */
export interface PlatformSettings {
  /** Flux settings of the cluster (drift detection, reconcile interval). @default - the engine's FluxSettings defaults */
  readonly flux: ClusterSettings['flux'];
  /** ACK controllers: log level and drift-correcting resync. */
  readonly ack: Pick<AckProps, 'logLevel' | 'resyncPeriod'>;
  readonly externalSecrets: Pick<ExternalSecretsProps, 'replicas' | 'logLevel' | 'concurrent'>;
  readonly reloader: Pick<ReloaderProps, 'replicas' | 'reloadOnCreate'>;
  /** Gatekeeper: webhook replicas, audit interval, log level and the webhook failure policy (fail open or closed). */
  readonly gatekeeper: Pick<GatekeeperProps, 'replicas' | 'auditInterval' | 'logLevel' | 'failurePolicy'>;
  readonly crossplane: Pick<CrossplaneProps, 'replicas' | 'debug'>;
  readonly secretsStoreCsi: Pick<SecretsStoreCsiProps, 'rotationPollInterval'>;
  /** Kong: replicas, log levels and the proxy's load balancer scheme (internal or internet-facing). */
  readonly kong: Pick<KongProps, 'proxyLogLevel' | 'controllerLogLevel' | 'loadBalancerScheme'> & {
    /** Proxy replicas; the apps' Kong rate limits are divided among them (tenants.ts). */
    readonly replicas: number;
  };
  readonly karpenter: Pick<KarpenterControllerProps, 'replicas'>;
  /** Ratify, Gatekeeper's signature verifier (every pod admission in a covered namespace waits on it). */
  readonly ratify: Pick<RatifyProps, 'replicas'>;
  /**
   * The image signature constraint (Gatekeeper asks Ratify): `deny` rejects pods whose images from
   * the cluster's own ECR (configs.ts) lack a valid signature, and fails closed while Ratify cannot
   * answer; `warn` and `dryrun` admit them and report.
   */
  readonly imageSignatures: Pick<ImagePolicySettings, 'enforcement'>;
  /**
   * The metrics collector's image (`collectorImage`): the chart default by tag (`floating`), pinned by digest
   * (`digest`), or pinned by digest from the cluster's own ECR mirror (`mirrored-digest`, for
   * clusters that admit only their own registry).
   */
  readonly metrics: { readonly collectorImage: 'floating' | 'digest' | 'mirrored-digest' };
  /**
   * Karpenter's pools: AMI selection (`amiVersion`: pinned release, or `al2023@latest` when left out)
   * and the pools' limits. Node tags and the GPU device plugin are the same everywhere (configs.ts).
   */
  readonly nodePools: Pick<KarpenterNodePoolsProps, 'amiVersion'> & {
    readonly general: Pick<KarpenterNodePoolsProps['general'], 'limits'>;
    readonly gpu: Pick<NonNullable<KarpenterNodePoolsProps['gpu']>, 'limits'>;
  };
  /**
   * The Gatekeeper constraints that differ per environment. `allowedPublicRepositories` follows the
   * cluster's own ECR registry (`c.registry`), which every environment allows.
   */
  readonly constraints: Pick<ClusterPolicySettings, 'requireImageDigests' | 'routeRateLimit' | 'restrictedEnforcementAction'> & {
    readonly allowedPublicRepositories: readonly string[];
  };
}

/**
 * Settings one cluster overrides on top of its environment's (index.ts of the cluster), area by
 * area: `{ gatekeeper: { replicas: 5 } }` keeps the environment's other Gatekeeper settings.
 */
export type PlatformOverrides = { readonly [A in keyof PlatformSettings]?: Partial<PlatformSettings[A]> };

/** The environment's settings with a cluster's overrides applied (one level deep, per area). */
export function withOverrides(settings: PlatformSettings, overrides: PlatformOverrides = {}): PlatformSettings {
  const merged: Record<string, unknown> = { ...settings };
  for (const [area, values] of Object.entries(overrides)) merged[area] = { ...(settings[area as keyof PlatformSettings] as object), ...values };
  return merged as unknown as PlatformSettings;
}

/**
 * What AWS assigned to one cluster's resources after their first deploy: values no setting can
 * predict, copied from the objects' status into the cluster's index.ts.
 */
export interface ClusterResourceIds {
  /**
   * config-demo's AppConfig IDs in the cluster's account, from `status.atProvider.id` of the
   * Crossplane objects after phase 1.
   *
   * @default - not known yet: phase 1 creates the AppConfig application, environment and profile
   */
  readonly configDemoAppConfig?: AppConfigIds;
  /**
   * The resource part of team-a-web's RDS master-user secret ARN (`secret:rds!db-…`), from the
   * ConfigMap team-a/web-db-outputs after the first deploy (charts/workloads/team-a-web/README.md).
   *
   * @default - not known yet: only the database and the web identity are deployed (phase 1)
   */
  readonly teamAWebDatabaseSecret?: string;
  /**
   * Version id of the `flotilla_lambda` signing profile, from `status.atProvider.version` of
   * SigningProfile `flotilla-lambda` after phase 1 (charts/platform/signing/README.md).
   *
   * @default - not known yet: no Lambda CodeSigningConfig is rendered
   */
  readonly lambdaSigningProfileVersion?: string;
  /**
   * The public Route 53 zones of the cluster's hostnames, with their hosted zone ids; cert-manager
   * answers DNS-01 challenges there (controllers.ts) for the ClusterIssuer `letsencrypt` (configs.ts).
   *
   * @default - none yet: no cert-manager and no ClusterIssuer (routes that ask for a certificate fail validation)
   */
  readonly dnsZones?: readonly DnsZone[];
}

/** One cluster's platform: its environment's settings (with the cluster's overrides) and its AWS-assigned ids. */
export interface ClusterPlatform {
  readonly settings: PlatformSettings;
  readonly ids: ClusterResourceIds;
}

/**
 * The fleet's platform settings per environment. dev is tuned for finding problems (debug logs,
 * short resyncs, one replica, fail-open webhooks, floating AMIs); staging proves what prod will run
 * (digests required, drift reverted) at dev's size; prod is sized and fails closed.
 */
export const platformSettings: Readonly<Record<FleetEnvironment, PlatformSettings>> = {
  dev: {
    // Drift is reported, not reverted: engineers may `kubectl edit` a release on dev while debugging.
    flux: { helmDriftDetection: 'warn' },
    // Debug logs and a short resync make ACK drift visible quickly while developing.
    ack: { logLevel: 'debug', resyncPeriod: Duration.hours(1) },
    externalSecrets: { replicas: 1, logLevel: 'debug' },
    reloader: { replicas: 1, reloadOnCreate: true },
    // dev keeps working while Gatekeeper restarts; prod fails closed.
    gatekeeper: { replicas: 1, auditInterval: Duration.minutes(5), logLevel: 'INFO', failurePolicy: 'Ignore' },
    crossplane: { replicas: 1, debug: true },
    secretsStoreCsi: { rotationPollInterval: Duration.minutes(2) },
    kong: { replicas: 1, proxyLogLevel: 'info', controllerLogLevel: 'debug', loadBalancerScheme: 'internal' },
    karpenter: { replicas: 1 },
    ratify: { replicas: 1 },
    // Unsigned images run here; the client gets a warning and the audit records them.
    imageSignatures: { enforcement: SignatureEnforcement.WARN },
    metrics: { collectorImage: 'floating' },
    // No amiVersion: dev floats on `al2023@latest` and finds a bad AMI release first.
    nodePools: { general: { limits: { cpu: 200, memory: Size.gibibytes(800) } }, gpu: { limits: { nvidiaGpus: 4 } } },
    // Pod Security "restricted" warns on dev (workloads are hardened there first) and denies on prod.
    constraints: { allowedPublicRepositories: ['public.ecr.aws/'], requireImageDigests: false, restrictedEnforcementAction: 'warn' },
  },
  staging: {
    // Like prod, a manual change is reverted (staging proves what prod will run), but delivered from Git.
    flux: { helmDriftDetection: 'enabled' },
    ack: { logLevel: 'debug', resyncPeriod: Duration.hours(1) },
    externalSecrets: { replicas: 1, logLevel: 'debug' },
    reloader: { replicas: 1, reloadOnCreate: true },
    gatekeeper: { replicas: 1, auditInterval: Duration.minutes(5), logLevel: 'INFO', failurePolicy: 'Ignore' },
    crossplane: { replicas: 1, debug: true },
    secretsStoreCsi: { rotationPollInterval: Duration.minutes(2) },
    kong: { replicas: 1, proxyLogLevel: 'info', controllerLogLevel: 'debug', loadBalancerScheme: 'internal' },
    karpenter: { replicas: 1 },
    ratify: { replicas: 1 },
    imageSignatures: { enforcement: SignatureEnforcement.WARN },
    metrics: { collectorImage: 'digest' },
    nodePools: { general: { limits: { cpu: 200, memory: Size.gibibytes(800) } }, gpu: { limits: { nvidiaGpus: 4 } } },
    // Digests required, as on prod; Pod Security "restricted" still warns (hardened on dev and staging first).
    constraints: { allowedPublicRepositories: ['public.ecr.aws/'], requireImageDigests: true, restrictedEnforcementAction: 'warn' },
  },
  prod: {
    // 10 minutes (was 30): each Kustomization re-applies and each HelmRelease re-checks its objects
    // that often, so a manual change on prod is reverted within 10 minutes (drift detection enabled).
    flux: { interval: Duration.minutes(10), helmDriftDetection: 'enabled' },
    ack: { logLevel: 'info' },
    externalSecrets: { replicas: 2, concurrent: 4 },
    reloader: { replicas: 2 },
    gatekeeper: { replicas: 3, auditInterval: Duration.seconds(60), failurePolicy: 'Fail' },
    crossplane: { replicas: 2 },
    secretsStoreCsi: { rotationPollInterval: Duration.minutes(5) },
    kong: { replicas: 3, loadBalancerScheme: 'internet-facing' },
    karpenter: { replicas: 2 },
    ratify: { replicas: 2 },
    // Prod admits only images signed with flotilla_images; without Ratify's answer, no pod is admitted.
    imageSignatures: { enforcement: SignatureEnforcement.DENY },
    // Prod admits only its own ECR: the collector comes from the account's mirror.
    metrics: { collectorImage: 'mirrored-digest' },
    nodePools: {
      // Pinned: `latest` would roll every prod node (drift) the day AWS publishes an AMI. Dev floats on
      // `latest` and finds a bad release first; bump this after it has run on dev.
      amiVersion: 'v20261101',
      general: { limits: { cpu: 2000, memory: Size.gibibytes(8000) } },
      gpu: { limits: { nvidiaGpus: 16 } },
    },
    constraints: {
      // NGINX's verified ECR Public namespace (team-a-web) and the AWS-vended AppConfig agent;
      // everything else is mirrored into the account's ECR. Digests required.
      allowedPublicRepositories: ['public.ecr.aws/nginx/', 'public.ecr.aws/aws-appconfig/'],
      requireImageDigests: true,
      // The apps' Kong rate-limiting plugins; dj's Gateway is the internet-facing one.
      routeRateLimit: { acceptedPlugins: ['comfyui-rate-limit', 'dj-rate-limit'], externalGateways: ['dj/dj'] },
      // Pod Security "restricted" (FlotillaRestricted) denies, as every other constraint here.
      restrictedEnforcementAction: 'deny',
    },
  },
};
