import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ImageReference } from './image-reference';
import { cpuQuantity, mebibytesOf, millicoresOf, sizeQuantity } from './quantities';
import { tenantLabels, type TeamRef } from './tenant-labels';
import { VersionedConfigMap } from './versioned-config-map';
import { assertDnsLabel, assertIntegerInRange, WorkloadValidationError } from './validation-error';

const { k8s } = kplus;

/** CPU and memory of the container. Memory limit always equals the request (no overcommit, no surprise OOM kills). */
export interface WebServiceResources {
  /** CPU request. */
  readonly cpu: kplus.Cpu;
  /** Memory request and limit. */
  readonly memory: Size;
  /** CPU limit. @default - none (CPU is compressible; throttling hurts latency more than it protects neighbours) */
  readonly cpuLimit?: kplus.Cpu;
  /** `nvidia.com/gpu` devices (request = limit). @default 0 */
  readonly gpus?: number;
}

/** Immutable configuration files mounted read-only into the container. */
export interface WebServiceConfig {
  /** File name → content. */
  readonly files: Record<string, string>;
  /** Directory the files appear in. */
  readonly mountPath: string;
  /** Earlier `files`, newest first, kept for `kubectl rollout undo` (see VersionedConfigMap). @default - none */
  readonly history?: readonly Record<string, string>[];
  /** Versions kept, the current one included. @default 3 */
  readonly keepVersions?: number;
}

/** A volume mounted into the container. */
export interface WebServiceMount {
  readonly volume: kplus.Volume;
  readonly path: string;
  /** @default true */
  readonly readOnly?: boolean;
}

/** A taint the pods tolerate, e.g. `{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }`. */
export interface WebServiceToleration {
  readonly key: string;
  /** @default - any value (operator Exists) */
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface WebServiceProps {
  readonly team: TeamRef;
  /** Name of the Deployment, Service, HPA, PDB and `app.kubernetes.io/name` label. A DNS label. */
  readonly name: string;
  readonly image: ImageReference;
  readonly resources: WebServiceResources;
  /** Container port. @default 8080 */
  readonly containerPort?: number;
  /** Service port. @default 80 */
  readonly servicePort?: number;
  /** @default 2 */
  readonly minReplicas?: number;
  /** @default 4 */
  readonly maxReplicas?: number;
  /** Average CPU utilisation (of the request) the HPA aims for. @default 70 */
  readonly targetCpuUtilizationPercent?: number;
  /**
   * Scale with a CPU HPA between `minReplicas` and `maxReplicas`; false runs exactly `minReplicas`
   * with no HPA (CPU is the wrong signal for GPU-bound work).
   *
   * @default true
   */
  readonly autoscale?: boolean;
  /** Pods the PDB lets voluntary disruptions take down at once; 0 forbids evicting any. @default 1 */
  readonly maxUnavailable?: number;
  /** Annotations on the pod template, e.g. `karpenter.sh/do-not-disrupt`. @default - none */
  readonly podAnnotations?: Record<string, string>;
  /** @default - HTTP GET `/` on the container port */
  readonly readiness?: kplus.Probe;
  /** @default - none (a failing liveness probe restarts healthy-but-slow pods) */
  readonly liveness?: kplus.Probe;
  /** @default - none */
  readonly startup?: kplus.Probe;
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's default arguments */
  readonly args?: readonly string[];
  /** Plain, non-secret environment variables. @default - none */
  readonly env?: Record<string, string>;
  /** Versioned, immutable configuration files. @default - none */
  readonly config?: WebServiceConfig;
  /** Extra volumes (CSI secrets, PVCs, host paths). @default - none */
  readonly mounts?: readonly WebServiceMount[];
  /** Paths that need to be writable (the root filesystem is read-only); each gets an emptyDir. @default ['/tmp'] */
  readonly writablePaths?: readonly string[];
  /** The pods' ServiceAccount, e.g. `WorkloadIdentity.serviceAccount`. @default - a ServiceAccount named after the service, without a token or AWS identity */
  readonly serviceAccount?: kplus.IServiceAccount;
  /** UID and GID the container runs as. @default 10001 */
  readonly runAsUser?: number;
  /** Node labels the pods require, e.g. `{ 'karpenter.sh/nodepool': 'gpu' }`. @default - any node */
  readonly nodeSelector?: Record<string, string>;
  /** @default - none */
  readonly tolerations?: readonly WebServiceToleration[];
  /** Spread pods across zones and hosts. @default true */
  readonly spread?: boolean;
  /** Time the pod gets to finish in-flight requests. @default Duration.seconds(30) */
  readonly terminationGracePeriod?: Duration;
}

/**
 * A stateless HTTP service: Deployment, ClusterIP Service, HPA (`autoscaling/v2`) and PDB, with
 * the platform's pod defaults — requests with memory limit = request, non-root, read-only root
 * filesystem, all capabilities dropped, `RuntimeDefault` seccomp, zone and hostname spread,
 * explicit selector labels, and team and cost-center labels on every object and pod.
 */
export class WebService extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly deployment: kplus.Deployment;
  readonly service: kplus.Service;
  readonly serviceAccount: kplus.IServiceAccount;
  /** The pod selector; never a construct-path hash. */
  readonly selectorLabels: Record<string, string>;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly containerPort: number;
  readonly servicePort: number;
  /** The hashed ConfigMap, when `config` is given. */
  readonly config?: VersionedConfigMap;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    const { team } = props;
    assertDnsLabel('name', props.name, 52);
    this.name = props.name;
    this.namespace = team.namespace;
    this.containerPort = props.containerPort ?? 8080;
    this.servicePort = props.servicePort ?? 80;
    assertIntegerInRange('containerPort', this.containerPort, 1024, 65535); // non-root cannot bind below 1024
    assertIntegerInRange('servicePort', this.servicePort, 1, 65535);
    this.minReplicas = props.minReplicas ?? 2;
    this.maxReplicas = props.maxReplicas ?? Math.max(4, this.minReplicas);
    assertIntegerInRange('minReplicas', this.minReplicas, 1, 1000);
    if (this.maxReplicas < this.minReplicas) {
      throw new WorkloadValidationError('workloads/web-service', `'maxReplicas' (${this.maxReplicas}) must be >= 'minReplicas' (${this.minReplicas}); raise maxReplicas or lower minReplicas`);
    }
    const target = props.targetCpuUtilizationPercent ?? 70;
    assertIntegerInRange('targetCpuUtilizationPercent', target, 10, 100);
    const maxUnavailable = props.maxUnavailable ?? 1;
    assertIntegerInRange('maxUnavailable', maxUnavailable, 0, 1000);
    const autoscale = props.autoscale ?? true;
    const user = props.runAsUser ?? 10001;
    assertIntegerInRange('runAsUser', user, 1, 2_147_483_647);
    const res = props.resources;
    if (mebibytesOf(res.memory) < 16) {
      throw new WorkloadValidationError('workloads/web-service', `'resources.memory' (${sizeQuantity(res.memory)}) is below 16Mi; no container starts with that`);
    }
    if (res.cpuLimit && millicoresOf(res.cpuLimit) < millicoresOf(res.cpu)) {
      throw new WorkloadValidationError(
        'workloads/web-service',
        `'resources.cpuLimit' (${cpuQuantity(res.cpuLimit)}) must be >= 'resources.cpu' (${cpuQuantity(res.cpu)}); raise the limit or drop it`,
      );
    }
    const gpus = res.gpus ?? 0;
    assertIntegerInRange('resources.gpus', gpus, 0, 64);

    const labels = { ...tenantLabels(team) };
    this.selectorLabels = { 'app.kubernetes.io/name': props.name };
    const objectLabels = { ...labels, ...this.selectorLabels };
    const meta = { name: props.name, namespace: team.namespace, labels: objectLabels };

    this.serviceAccount =
      props.serviceAccount ??
      new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: { ...meta }, automountToken: false });

    this.deployment = new kplus.Deployment(this, 'Resource', {
      metadata: meta,
      select: false,
      spread: false,
      podMetadata: { labels: objectLabels, annotations: { ...props.podAnnotations } },
      ...(autoscale ? {} : { replicas: this.minReplicas }),
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      terminationGracePeriod: props.terminationGracePeriod ?? Duration.seconds(30),
      securityContext: { ensureNonRoot: true, user, group: user, fsGroup: user },
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: this.selectorLabels }));

    const container = this.deployment.addContainer({
      name: props.name,
      image: props.image.toString(),
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      portNumber: this.containerPort,
      command: props.command ? [...props.command] : undefined,
      args: props.args ? [...props.args] : undefined,
      envVariables: Object.fromEntries(Object.entries(props.env ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
      resources: {
        cpu: { request: res.cpu, limit: res.cpuLimit },
        memory: { request: res.memory, limit: res.memory },
      },
      readiness: props.readiness ?? kplus.Probe.fromHttpGet('/', { port: this.containerPort }),
      liveness: props.liveness,
      startup: props.startup,
      securityContext: {
        ensureNonRoot: true,
        user,
        group: user,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
    });

    for (const [index, path] of (props.writablePaths ?? ['/tmp']).entries()) {
      const volume = kplus.Volume.fromEmptyDir(this, `Writable${index}`, `writable-${index}`);
      container.mount(path, volume);
    }
    if (props.config) {
      this.config = new VersionedConfigMap(this, 'Config', {
        name: props.name,
        namespace: team.namespace,
        data: props.config.files,
        labels,
        history: props.config.history,
        keepVersions: props.config.keepVersions,
      });
      const volume = kplus.Volume.fromConfigMap(this, 'ConfigVolume', this.config.configMap, { name: 'config' });
      container.mount(props.config.mountPath, volume, { readOnly: true });
    }
    for (const mount of props.mounts ?? []) container.mount(mount.path, mount.volume, { readOnly: mount.readOnly ?? true });

    const api = ApiObject.of(this.deployment);
    // cdk8s-plus always adds a construct-path hash label to the pod template; selectors here are explicit.
    api.addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
    if (autoscale) api.addJsonPatch(JsonPatch.remove('/spec/replicas')); // the HPA owns replicas
    if (props.spread ?? true) {
      api.addJsonPatch(
        JsonPatch.add(
          '/spec/template/spec/topologySpreadConstraints',
          ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
            maxSkew: 1,
            topologyKey,
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: this.selectorLabels },
          })),
        ),
      );
    }
    if (props.nodeSelector && Object.keys(props.nodeSelector).length > 0) {
      api.addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { ...props.nodeSelector }));
    }
    if (props.tolerations && props.tolerations.length > 0) {
      api.addJsonPatch(
        JsonPatch.add(
          '/spec/template/spec/tolerations',
          props.tolerations.map((t) => (t.value === undefined ? { key: t.key, operator: 'Exists', effect: t.effect } : { key: t.key, operator: 'Equal', value: t.value, effect: t.effect })),
        ),
      );
    }
    // the generated KubeDeployment serializer maps resource quantities after patches run, so patch values are Quantities
    if (gpus > 0) {
      api.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/resources/requests/nvidia.com~1gpu', k8s.Quantity.fromNumber(gpus)));
      api.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu', k8s.Quantity.fromNumber(gpus)));
    }

    this.service = new kplus.Service(this, 'Service', {
      metadata: meta,
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: 'http', port: this.servicePort, targetPort: this.containerPort }],
    });
    for (const [key, value] of Object.entries(this.selectorLabels)) this.service.selectLabel(key, value);

    if (autoscale) {
      new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata: meta,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name },
          minReplicas: this.minReplicas,
          maxReplicas: this.maxReplicas,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }],
        },
      });
    }

    new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: meta,
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable), selector: { matchLabels: this.selectorLabels } },
    });
  }
}
