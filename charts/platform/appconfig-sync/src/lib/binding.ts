import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ClusterConfig } from '@flotilla/config';
import { RELOADER_WATCH_LABELS } from '@flotilla/constructs';
import type { PolicyStatement } from '@flotilla/model';
import * as eso from '@flotilla/k8s-apis/external-secrets';
import { HASH_KEY } from '@flotilla/appconfig-contract';
import { TENANT_SECRET_STORE_NAME } from '@flotilla/workloads';
import { AppConfigBindingError, bindingNames, bindingReadStatements, type AppConfigBindingSpec, type BindingNames } from './binding-spec';
import { formatDuration } from './latency-budget';

/** Reloader restarts the workload when a named Secret's data changes, referenced by the pod spec or not. */
export const RELOADER_SECRET_ANNOTATION = 'secret.reloader.stakater.com/reload';
/** The AppConfig Agent's HTTP port. */
export const AGENT_PORT = 2772;
/**
 * AppConfig Agent image. The tag is one seen in public use (not re-checked against the registry
 * here); pin a digest in production.
 */
export const AGENT_IMAGE = 'public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147';
/** AWS CLI v2 image for the init-container mode (v2 reads EKS Pod Identity credentials). */
export const AWS_CLI_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.27.9';

/** The agent as a native sidecar: serves the configuration on `localhost:2772`; the app reads `APPCONFIG_URL`. */
export interface AgentSidecarDelivery {
  readonly mode: 'agent-sidecar';
  /** @default AGENT_IMAGE */
  readonly image?: string;
  /** How often the agent polls AppConfig (it keeps its cache fresh; restarts come from the hash). @default Duration.seconds(45) */
  readonly pollInterval?: Duration;
}

/** A one-shot init container writes the configuration to a shared file; the app reads `APPCONFIG_FILE`. */
export interface InitContainerDelivery {
  readonly mode: 'init-container';
  /** @default AWS_CLI_IMAGE */
  readonly image?: string;
  /** Directory of the file in both containers. @default '/etc/appconfig' */
  readonly mountPath?: string;
  /** @default 'configuration' */
  readonly fileName?: string;
}

export type AppConfigDelivery = AgentSidecarDelivery | InitContainerDelivery;

export interface AppConfigBindingProps {
  readonly cluster: ClusterConfig;
  /** The binding, the same value the cluster passes to the platform unit (`appconfigSync`). */
  readonly spec: AppConfigBindingSpec;
  /**
   * The workload Reloader restarts on a new configuration and that receives it, e.g.
   * `WebService.deployment`. Its pods must run as a ServiceAccount whose role allows
   * {@link bindingReadStatements} (e.g. `WorkloadIdentity({ statements: bindingReadStatements(cluster, spec) })`).
   */
  readonly workload: kplus.Deployment;
  /**
   * Container that reads the configuration.
   *
   * @default - the workload's first container
   */
  readonly containerName?: string;
  /** How often External Secrets re-reads the hash secret: the main term of the restart latency. @default Duration.minutes(1) */
  readonly refreshInterval?: Duration;
  /** @default { mode: 'agent-sidecar' } */
  readonly delivery?: AppConfigDelivery;
  /** The team's SecretStore that reads Secrets Manager with the `tenant=<team>` session tag. @default TENANT_SECRET_STORE_NAME */
  readonly secretStoreName?: string;
}

const CONTAINER_DEFAULTS: Pick<kplus.ContainerProps, 'resources' | 'securityContext' | 'imagePullPolicy'> = {
  resources: {
    cpu: { request: kplus.Cpu.millis(50) },
    memory: { request: Size.mebibytes(128), limit: Size.mebibytes(128) },
  },
  securityContext: {
    ensureNonRoot: true,
    user: 10001,
    group: 10001,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  },
  imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
};

/**
 * The cluster side of one AppConfig binding, used by the app's chart:
 * - an `ExternalSecret` (`external-secrets.io/v1`) that copies `appconfig-version-hash` from the
 *   binding's Secrets Manager secret into the Kubernetes Secret `<name>-appconfig-version` every
 *   `refreshInterval`, through the team's SecretStore;
 * - `secret.reloader.stakater.com/reload: <that Secret>` on the workload, so Reloader restarts it
 *   when the hash changes (the pods never reference the Secret);
 * - the configuration itself without code changes: the AppConfig Agent as a native sidecar on port
 *   2772 with `PREFETCH_LIST` (the app container starts once the agent has the configuration; its
 *   URL is in `APPCONFIG_URL`), or an init container writing it to `APPCONFIG_FILE`.
 *
 * Until `spec.ids` is set (phase 1) it renders nothing and {@link wired} is false: the chain has
 * nothing to match and the workload role nothing to be scoped to.
 */
export class AppConfigBinding extends Construct {
  readonly names: BindingNames;
  readonly wired: boolean;
  /** The statements the workload's role needs (empty in phase 1). */
  readonly readStatements: readonly PolicyStatement[];
  /** The ExternalSecret (undefined in phase 1). */
  readonly externalSecret?: eso.ExternalSecret;

  constructor(scope: Construct, id: string, props: AppConfigBindingProps) {
    super(scope, id);
    const { cluster, spec, workload } = props;
    this.names = bindingNames(cluster, spec);
    this.wired = spec.ids !== undefined;
    this.readStatements = this.wired ? bindingReadStatements(cluster, spec) : [];
    const where = `appconfig binding '${spec.team.namespace}/${spec.name}'`;
    const workloadNamespace = workload.metadata.namespace;
    if (workloadNamespace !== spec.team.namespace) {
      throw new AppConfigBindingError(`${where}: the workload '${workload.name}' is in namespace '${workloadNamespace}', the binding in '${spec.team.namespace}'; bind a workload of the same team`);
    }
    const container = props.containerName ? workload.containers.find((c) => c.name === props.containerName) : workload.containers[0];
    if (!container) {
      const names = workload.containers.map((c) => `'${c.name}'`).join(', ') || 'none';
      throw new AppConfigBindingError(`${where}: container '${props.containerName ?? '(first)'}' not found in workload '${workload.name}' (containers: ${names}); set 'containerName' to one of them`);
    }
    const refresh = props.refreshInterval ?? Duration.minutes(1);
    const refreshSeconds = refresh.toMilliseconds() / 1000;
    if (!Number.isInteger(refreshSeconds) || refreshSeconds < 10) {
      throw new AppConfigBindingError(`${where}: 'refreshInterval' (${refresh.toMilliseconds()} ms) must be whole seconds and at least 10s; each refresh is one GetSecretValue call`);
    }
    if (!this.wired) return;

    const labels = { team: spec.team.name, 'cost-center': spec.team.costCenter };
    this.externalSecret = new eso.ExternalSecret(this, 'VersionHash', {
      metadata: { name: this.names.kubernetesSecretName, namespace: spec.team.namespace, labels },
      spec: {
        refreshInterval: formatDuration(refresh),
        secretStoreRef: { kind: eso.ExternalSecretSpecSecretStoreRefKind.SECRET_STORE, name: props.secretStoreName ?? TENANT_SECRET_STORE_NAME },
        target: {
          name: this.names.kubernetesSecretName,
          creationPolicy: eso.ExternalSecretSpecTargetCreationPolicy.OWNER,
          // The workload reloads on this Secret: Reloader only watches Secrets with this label.
          template: { metadata: { labels: { ...labels, ...RELOADER_WATCH_LABELS } } },
        },
        data: [{ secretKey: HASH_KEY, remoteRef: { key: this.names.secretName, property: HASH_KEY } }],
      },
    });

    const existing = workload.metadata.toJson().annotations?.[RELOADER_SECRET_ANNOTATION] as string | undefined;
    const reloads = [...new Set([...(existing ? existing.split(',') : []), this.names.kubernetesSecretName])].sort();
    workload.metadata.addAnnotation(RELOADER_SECRET_ANNOTATION, reloads.join(','));

    const delivery = props.delivery ?? { mode: 'agent-sidecar' };
    const path = `/applications/${spec.application}/environments/${spec.environment}/configurations/${spec.profile}`;
    if (delivery.mode === 'agent-sidecar') {
      if (workload.initContainers.some((c) => c.name === 'appconfig-agent')) {
        throw new AppConfigBindingError(`${where}: workload '${workload.name}' already has an AppConfig agent; bind one profile per workload or list several in one agent`);
      }
      const poll = delivery.pollInterval ?? Duration.seconds(45);
      workload.addInitContainer({
        ...CONTAINER_DEFAULTS,
        name: 'appconfig-agent',
        image: delivery.image ?? AGENT_IMAGE,
        restartPolicy: kplus.ContainerRestartPolicy.ALWAYS, // native sidecar: starts before the app, stops after it
        ports: [{ number: AGENT_PORT, name: 'appconfig' }],
        envVariables: {
          SERVICE_REGION: kplus.EnvValue.fromValue(cluster.region),
          // The kubelet probes the pod IP, so the agent cannot listen on localhost only; the team's
          // default-deny NetworkPolicies keep other namespaces out.
          HTTP_HOST: kplus.EnvValue.fromValue('0.0.0.0'),
          HTTP_PORT: kplus.EnvValue.fromValue(String(AGENT_PORT)),
          PREFETCH_LIST: kplus.EnvValue.fromValue(`${spec.application}:${spec.environment}:${spec.profile}`),
          POLL_INTERVAL: kplus.EnvValue.fromValue(formatDuration(poll)),
          LOG_LEVEL: kplus.EnvValue.fromValue('info'),
        },
        // The app container starts only once the agent serves the profile.
        startup: kplus.Probe.fromHttpGet(path, { port: AGENT_PORT, periodSeconds: Duration.seconds(2), failureThreshold: 60 }),
      });
      container.env.addVariable('APPCONFIG_URL', kplus.EnvValue.fromValue(`http://localhost:${AGENT_PORT}${path}`));
      return;
    }

    const mountPath = delivery.mountPath ?? '/etc/appconfig';
    const file = `${mountPath}/${delivery.fileName ?? 'configuration'}`;
    const volume = kplus.Volume.fromEmptyDir(this, 'ConfigurationVolume', `${spec.name}-appconfig`);
    const home = kplus.Volume.fromEmptyDir(this, 'CliHome', `${spec.name}-appconfig-home`);
    const fetch = workload.addInitContainer({
      ...CONTAINER_DEFAULTS,
      name: `${spec.name}-appconfig`,
      image: delivery.image ?? AWS_CLI_IMAGE,
      command: [
        '/bin/sh',
        '-ec',
        'token=$(aws appconfigdata start-configuration-session --application-identifier "$APPCONFIG_APPLICATION" ' +
          '--environment-identifier "$APPCONFIG_ENVIRONMENT" --configuration-profile-identifier "$APPCONFIG_PROFILE" ' +
          '--query InitialConfigurationToken --output text)\n' +
          'aws appconfigdata get-latest-configuration --configuration-token "$token" "$APPCONFIG_FILE" > /dev/null',
      ],
      envVariables: {
        AWS_REGION: kplus.EnvValue.fromValue(cluster.region),
        APPCONFIG_APPLICATION: kplus.EnvValue.fromValue(spec.application),
        APPCONFIG_ENVIRONMENT: kplus.EnvValue.fromValue(spec.environment),
        APPCONFIG_PROFILE: kplus.EnvValue.fromValue(spec.profile),
        APPCONFIG_FILE: kplus.EnvValue.fromValue(file),
        HOME: kplus.EnvValue.fromValue('/home/aws'),
      },
    });
    fetch.mount(mountPath, volume);
    fetch.mount('/home/aws', home);
    container.mount(mountPath, volume, { readOnly: true });
    container.env.addVariable('APPCONFIG_FILE', kplus.EnvValue.fromValue(file));
  }
}
