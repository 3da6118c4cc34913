import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { type Unit, unitCallSite } from '@flotilla/config';
import * as ackS3 from '@flotilla/k8s-apis/ack-s3';
import * as kong from '@flotilla/k8s-apis/kong';
import {
  assertTeamOwnsHostname,
  IdentityMode,
  ImageReference,
  S3VolumeClaim,
  teamRef,
  tenantFluxOptions,
  tenantLabels,
  WebService,
  WorkloadIdentity,
  WorkloadValidationError,
  kongRateLimit,
  type TeamConfig,
} from '@flotilla/workloads';
import { ackDeletionPolicy, RemovalPolicy } from '@flotilla/constructs';
import { TLS_CLUSTER_ISSUER } from '@flotilla/charts/platform/cert-manager';

const { k8s } = kplus;

/**
 * Where the GPU nodes keep models: the instance-store RAID0 that the GPU EC2NodeClass
 * (`instanceStorePolicy: RAID0`) mounts at `/mnt/k8s-disks/0`. The hostPath policy exempts exactly
 * this path in the app's namespace.
 */
export const COMFYUI_MODELS_HOST_PATH = '/mnt/k8s-disks/0/models';

/** The uid comfyui runs as (unless its outputs volume sets another owner); the models directory on the node is owned by it. */
export const COMFYUI_UID = 10001;

/** Cookie Kong hashes on to keep a browser session on one replica (Kong sets it on the first response). */
export const COMFYUI_SESSION_COOKIE = 'comfyui-session';

/** The S3 bucket the GPU nodes copy models from (karpenterNodePools gpu.modelSync). */
export interface ComfyUiModelsBucket {
  /** Bucket name, in the team's naming (`<team>-…`), e.g. `imagegen-models-<account>-<region>`. */
  readonly bucketName: string;
  /** The bucket's region. */
  readonly region: string;
  /**
   * Create the bucket with ACK: versioned (a bad upload is undone by restoring the previous
   * version), encrypted, public access blocked, retained when the object is deleted.
   *
   * @default true
   */
  readonly createBucket?: boolean;
}

/** The Secret cert-manager writes the ingress certificate to (created at run time, never rendered). */
export const COMFYUI_TLS_SECRET = 'comfyui-tls';

/** Name of the KongPlugin limiting requests to the ingress (the route rate-limit policy must accept it). */
export const COMFYUI_RATE_LIMIT_PLUGIN = 'comfyui-rate-limit';

export interface ComfyUiProps {
  /** The owning team; its config must declare the S3 volume `outputsClaim` in `s3Volumes`. */
  readonly team: TeamConfig;
  readonly image: ImageReference;
  /** Name of the team's S3 volume for generated images. @default 'comfyui-outputs' */
  readonly outputsClaim?: string;
  /** Host name the Kong ingress serves, e.g. `comfyui.dev.example.com`; the team must own it (`TeamConfig.hostnames`). */
  readonly host: string;
  /** Karpenter NodePool with the GPU nodes (label `karpenter.sh/nodepool`). @default 'gpu' */
  readonly nodePool?: string;
  /** GPUs per pod. @default 1 */
  readonly gpus?: number;
  /**
   * Fixed replica count. No CPU HPA: a GPU-bound pod's CPU says nothing about queue depth, and each
   * extra replica is a whole GPU node.
   *
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Annotate pods `karpenter.sh/do-not-disrupt: "true"` so consolidation and drift never evict a
   * running generation job (expiry and manual deletion still do).
   *
   * @default true
   */
  readonly doNotDisrupt?: boolean;
  /** Requests per minute per client IP through the whole gateway, divided among the Kong proxy pods ({@link kongRateLimit}). @default 30 */
  readonly requestsPerMinute?: number;
  /** Kong proxy replicas (the cluster's kong unit `replicas`), each counting on its own. */
  readonly proxyReplicas: number;
  /**
   * The cert-manager ClusterIssuer that issues the host's certificate (`cert-manager.io/cluster-issuer`
   * on the Ingress; Kong serves it from the Secret `comfyui-tls`).
   *
   * @default TLS_CLUSTER_ISSUER ('letsencrypt')
   */
  readonly tlsIssuer?: string;
  /**
   * The models bucket the GPU nodes sync into {@link COMFYUI_MODELS_HOST_PATH} (owned by
   * {@link COMFYUI_UID}); pass the same bucket to the GPU pool's `modelSync`.
   *
   * @default - no models bucket (the directory must be filled some other way)
   */
  readonly models?: ComfyUiModelsBucket;
  /**
   * Create the outputs bucket with ACK (retained when the object is deleted).
   *
   * @default true
   */
  readonly createBucket?: boolean;
}

/**
 * A ComfyUI-style image-generation service on the Karpenter GPU NodePool: tolerates the
 * `nvidia.com/gpu` taint and selects the pool, reads models from the node's instance store (hostPath,
 * exempted by policy for exactly this namespace and path), writes images to S3 through a Mountpoint
 * for S3 static volume with its own IRSA role, and is served by Kong with a rate limit.
 */
export function comfyUi(props: ComfyUiProps): Unit {
  const team = teamRef(props.team);
  const claimName = props.outputsClaim ?? 'comfyui-outputs';
  const volume = (props.team.s3Volumes ?? []).find((v) => v.claimName === claimName);
  if (!volume) {
    throw new WorkloadValidationError(
      'charts/workloads/comfyui',
      `team '${team.name}' declares no S3 volume '${claimName}'; add { claimName: '${claimName}', bucketName, region } to its 's3Volumes' so the tenants unit renders the PersistentVolume`,
    );
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(props.host)) {
    throw new WorkloadValidationError('charts/workloads/comfyui', `'host' ('${props.host}') must be a fully qualified DNS name such as 'comfyui.dev.example.com'`);
  }
  assertTeamOwnsHostname(props.team, 'host', props.host);
  const nodePool = props.nodePool ?? 'gpu';
  const replicas = props.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 64) {
    throw new WorkloadValidationError('charts/workloads/comfyui', `'replicas' (${replicas}) must be an integer from 1 to 64; each replica needs its own GPU`);
  }
  const rateLimitConfig = kongRateLimit({ requestsPerMinute: props.requestsPerMinute ?? 30, proxyReplicas: props.proxyReplicas, limitBy: 'ip' });
  if (props.models && !props.models.bucketName.startsWith(`${team.name}-`)) {
    throw new WorkloadValidationError(
      'charts/workloads/comfyui',
      `'models.bucketName' ('${props.models.bucketName}') must start with '${team.name}-': ACK manages only the team's '<team>-*' buckets`,
    );
  }
  return {
    name: 'comfyui',
    project: 'comfyui',
    createdAt: unitCallSite(),
    layer: 'apps',
    dependsOn: ['teams'],
    flux: tenantFluxOptions(team),
    render(scope, { cluster }) {
      const labels = { ...tenantLabels(team) };
      if (props.createBucket ?? true) {
        new ackS3.Bucket(scope, 'OutputsBucket', {
          metadata: { name: 'comfyui-outputs', namespace: team.namespace, labels, annotations: ackDeletionPolicy(RemovalPolicy.RETAIN) },
          spec: {
            name: volume.bucketName,
            createBucketConfiguration: { locationConstraint: volume.region },
            publicAccessBlock: { blockPublicAcLs: true, blockPublicPolicy: true, ignorePublicAcLs: true, restrictPublicBuckets: true },
            ownershipControls: { rules: [{ objectOwnership: 'BucketOwnerEnforced' }] },
            encryption: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }] },
            tagging: { tagSet: [{ key: 'team', value: team.name }, { key: 'cost-center', value: team.costCenter }] },
          },
        });
      }
      if (props.models && (props.models.createBucket ?? true)) {
        new ackS3.Bucket(scope, 'ModelsBucket', {
          metadata: { name: 'comfyui-models', namespace: team.namespace, labels, annotations: ackDeletionPolicy(RemovalPolicy.RETAIN) },
          spec: {
            name: props.models.bucketName,
            createBucketConfiguration: { locationConstraint: props.models.region },
            // Versioned: a bad model upload is undone by restoring the previous version; the nodes' next sync follows.
            versioning: { status: 'Enabled' },
            publicAccessBlock: { blockPublicAcLs: true, blockPublicPolicy: true, ignorePublicAcLs: true, restrictPublicBuckets: true },
            ownershipControls: { rules: [{ objectOwnership: 'BucketOwnerEnforced' }] },
            encryption: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }] },
            tagging: { tagSet: [{ key: 'team', value: team.name }, { key: 'cost-center', value: team.costCenter }] },
          },
        });
      }
      const bucketArn = `arn:aws:s3:::${volume.bucketName}`;
      const prefix = volume.prefix ?? '';
      // Mountpoint's pod-level credentials come from the pod's IRSA token (authenticationSource: pod).
      const identity = new WorkloadIdentity(scope, 'Identity', {
        team,
        serviceAccountName: 'comfyui',
        cluster,
        mode: IdentityMode.IRSA,
        statements: [
          { sid: 'ListOutputs', actions: ['s3:ListBucket'], resources: [bucketArn], ...(prefix ? { conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } } : {}) },
          {
            sid: 'ReadWriteOutputs',
            actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
            resources: [`${bucketArn}/${prefix}*`],
          },
        ],
      });
      const outputs = new S3VolumeClaim(scope, 'Outputs', { team, spec: volume });
      // DIRECTORY, not DIRECTORY_OR_CREATE: the node's model sync creates it owned by the pod's uid;
      // the kubelet would create it root:0755 and empty, and the pod should rather not start.
      const models = kplus.Volume.fromHostPath(scope, 'Models', 'models', { path: COMFYUI_MODELS_HOST_PATH, type: kplus.HostPathVolumeType.DIRECTORY });

      const web = new WebService(scope, 'ComfyUi', {
        team,
        name: 'comfyui',
        image: props.image,
        containerPort: 8188,
        resources: { cpu: kplus.Cpu.units(4), memory: Size.gibibytes(24), gpus: props.gpus ?? 1 },
        minReplicas: replicas,
        maxReplicas: replicas,
        autoscale: false,
        // Never evict the last replica: with one, nothing may be evicted; with more, one at a time.
        maxUnavailable: Math.min(1, replicas - 1),
        podAnnotations: (props.doNotDisrupt ?? true) ? { 'karpenter.sh/do-not-disrupt': 'true' } : {},
        runAsUser: volume.ownerId ?? COMFYUI_UID,
        serviceAccount: identity.serviceAccount,
        nodeSelector: { 'karpenter.sh/nodepool': nodePool },
        tolerations: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }],
        readiness: kplus.Probe.fromHttpGet('/', { port: 8188 }),
        // Loading models from the instance store can take minutes on a fresh node.
        startup: kplus.Probe.fromHttpGet('/', { port: 8188, periodSeconds: Duration.seconds(10), failureThreshold: 60 }),
        writablePaths: ['/tmp'],
        mounts: [
          // Read-only: the restricted policy rejects writable hostPath mounts (a pod must not write to the node).
          { volume: models, path: '/opt/comfyui/models', readOnly: true },
          { volume: outputs.volume(scope, 'OutputsVolume', 'outputs'), path: '/opt/comfyui/output', readOnly: false },
        ],
        terminationGracePeriod: Duration.seconds(120),
      });

      const rateLimit = new kong.KongPlugin(scope, 'RateLimit', {
        metadata: { name: COMFYUI_RATE_LIMIT_PLUGIN, namespace: team.namespace, labels },
        plugin: 'rate-limiting',
        config: { ...rateLimitConfig },
      });
      // Sticky sessions: ComfyUI keeps a client's queue, history and websocket on one replica. Kong hashes
      // on a cookie it sets itself (consistent hashing, open-source Kong; `sticky-sessions` needs Enterprise).
      const upstream = new kong.KongUpstreamPolicy(scope, 'SessionAffinity', {
        metadata: { name: 'comfyui', namespace: team.namespace, labels },
        spec: { algorithm: kong.KongUpstreamPolicySpecAlgorithm.CONSISTENT_HYPHEN_HASHING, hashOn: { cookie: COMFYUI_SESSION_COOKIE, cookiePath: '/' } },
      });
      web.service.metadata.addAnnotation('konghq.com/upstream-policy', upstream.name);
      new k8s.KubeIngress(scope, 'Ingress', {
        metadata: {
          name: 'comfyui',
          namespace: team.namespace,
          labels,
          // HTTPS only: Kong answers plain HTTP with a 301 to https://; cert-manager issues the certificate for the TLS host.
          annotations: {
            'konghq.com/plugins': rateLimit.name,
            'konghq.com/protocols': 'https',
            'konghq.com/https-redirect-status-code': '301',
            'cert-manager.io/cluster-issuer': props.tlsIssuer ?? TLS_CLUSTER_ISSUER,
          },
        },
        spec: {
          ingressClassName: 'kong',
          tls: [{ hosts: [props.host], secretName: COMFYUI_TLS_SECRET }],
          rules: [
            {
              host: props.host,
              http: {
                paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: web.name, port: { number: web.servicePort } } } }],
              },
            },
          ],
        },
      });
    },
  };
}
