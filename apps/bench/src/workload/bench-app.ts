// The benchmark's typical app, shared byte for byte by the Flotilla bench fleet (copied to
// charts/workloads/bench-workload in the generated workspace) and by the `cdk8s init`-style baseline project
// (copied next to its main.ts), so both render exactly the same chart code. It imports only cdk8s,
// cdk8s-plus-28 and constructs, and compiles under the `cdk8s init` tsconfig (ES2017, lib es2016).
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

const { k8s } = kplus;

export interface BenchAppProps {
  /** App name: every object's name and the `app.kubernetes.io/name` selector label. */
  readonly name: string;
  /** The team's namespace. */
  readonly namespace: string;
  /** The owning team (label `team`). */
  readonly team: string;
  /** Label `cost-center`. */
  readonly costCenter: string;
  /** Image of the main container, tagged and pinned by digest. */
  readonly image: string;
  /** Image of the sidecar container. */
  readonly sidecarImage: string;
  /** SecretStore (in the namespace) the ExternalSecret reads from. */
  readonly secretStore: string;
  /** Minimum replicas (HPA) and Deployment replicas. */
  readonly replicas: number;
  /** Log level written to the ConfigMap; the one-line change of the affected benchmark edits it. */
  readonly logLevel: string;
}

/**
 * Seven objects of a typical service: a Deployment with an app and a sidecar container, a
 * Service, a ConfigMap, a ServiceAccount, an ExternalSecret, a HorizontalPodAutoscaler and a
 * PodDisruptionBudget, written to pass Flotilla's schema, reference and policy checks
 * (team/cost-center labels, requests with memory limit = request, non-root, pinned images).
 */
export class BenchApp extends Construct {
  constructor(scope: Construct, id: string, props: BenchAppProps) {
    super(scope, id);
    const selector = { 'app.kubernetes.io/name': props.name };
    const labels = { ...selector, team: props.team, 'cost-center': props.costCenter };
    const meta = { name: props.name, namespace: props.namespace, labels };
    const secretName = `${props.name}-secrets`;

    const serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: meta, automountToken: false });
    const config = new kplus.ConfigMap(this, 'Config', {
      metadata: { ...meta, name: `${props.name}-config` },
      data: {
        LOG_LEVEL: props.logLevel,
        HTTP_PORT: '8080',
        UPSTREAM_URL: `http://${props.name}-upstream.${props.namespace}.svc.cluster.local`,
        'app.properties': ['cache.size=256', 'cache.ttl=60s', `service.name=${props.name}`].join('\n'),
      },
    });

    new ApiObject(this, 'ExternalSecret', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { ...meta, name: secretName },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'SecretStore', name: props.secretStore },
        target: { name: secretName, creationPolicy: 'Owner' },
        data: [
          { secretKey: 'DATABASE_PASSWORD', remoteRef: { key: `${props.team}/${props.name}/database`, property: 'password' } },
          { secretKey: 'API_TOKEN', remoteRef: { key: `${props.team}/${props.name}/api-token` } },
        ],
      },
    });

    const deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: meta,
      select: false,
      spread: false,
      replicas: props.replicas,
      podMetadata: { labels },
      serviceAccount,
      automountServiceAccountToken: false,
      terminationGracePeriod: Duration.seconds(30),
      securityContext: { ensureNonRoot: true, user: 10001, group: 10001, fsGroup: 10001 },
    });
    deployment.select(kplus.LabelSelector.of({ labels: selector }));
    const containerSecurity: kplus.ContainerSecurityContextProps = {
      ensureNonRoot: true,
      user: 10001,
      group: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: [kplus.Capability.ALL] },
      seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
    };
    const secret = kplus.Secret.fromSecretName(this, 'Secret', secretName);
    deployment.addContainer({
      name: 'app',
      image: props.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      portNumber: 8080,
      envVariables: {
        LOG_LEVEL: kplus.EnvValue.fromConfigMap(config, 'LOG_LEVEL'),
        UPSTREAM_URL: kplus.EnvValue.fromConfigMap(config, 'UPSTREAM_URL'),
        DATABASE_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'DATABASE_PASSWORD' }),
        API_TOKEN: kplus.EnvValue.fromSecretValue({ secret, key: 'API_TOKEN' }),
      },
      resources: {
        cpu: { request: kplus.Cpu.millis(250) },
        memory: { request: Size.mebibytes(512), limit: Size.mebibytes(512) },
      },
      readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
      liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
      securityContext: containerSecurity,
    });
    deployment.addContainer({
      name: 'proxy',
      image: props.sidecarImage,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      portNumber: 9090,
      args: ['--listen=:9090', '--upstream=http://127.0.0.1:8080'],
      resources: {
        cpu: { request: kplus.Cpu.millis(50) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(64) },
      },
      readiness: kplus.Probe.fromTcpSocket({ port: 9090 }),
      securityContext: containerSecurity,
    });
    // cdk8s-plus adds a construct-path hash label to the pod template; the selector is explicit.
    ApiObject.of(deployment).addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));

    new k8s.KubeService(this, 'Service', {
      metadata: meta,
      spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: 80, targetPort: k8s.IntOrString.fromNumber(8080) }] },
    });
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata: meta,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name },
        minReplicas: props.replicas,
        maxReplicas: props.replicas * 4,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    });
    new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: meta,
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
  }
}
