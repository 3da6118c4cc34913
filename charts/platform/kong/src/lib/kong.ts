import { type Unit, unitCallSite } from '@flotilla/config';
import { GATEWAY_API, HelmAddon, VERSIONS } from '@flotilla/constructs';
import { INSTALLS_CRDS_ANNOTATION } from '@flotilla/model';
import * as flux from '@flotilla/k8s-apis/flux';
import * as gatewayApi from '@flotilla/k8s-apis/gateway-api';
import { KONG_ADMISSION_WEBHOOK_PORT, KONG_PROXY_PORTS, KongNetworkPolicies } from './kong-network-policies';

export const KONG_PROJECT = 'kong';
export const KONG_NAMESPACE = 'kong';
export const GATEWAY_API_UNIT = `${KONG_PROJECT}.gateway-api`;
export const GATEWAY_CLASS_UNIT = `${KONG_PROJECT}.gateway-class`;
/** Controller name KIC reconciles Gateways for. */
export const KONG_GATEWAY_CONTROLLER = 'konghq.com/kic-gateway-controller';

export type KongLogLevel = 'debug' | 'info' | 'notice' | 'warn' | 'error';

export interface KongProps {
  /** Proxy (and controller) replicas. @default 2 */
  readonly replicas?: number;
  /** Kong Gateway (proxy) log level. @default 'notice' */
  readonly proxyLogLevel?: KongLogLevel;
  /** Ingress controller log level. @default 'info' */
  readonly controllerLogLevel?: 'debug' | 'info' | 'error';
  /** Scheme of the proxy's Network Load Balancer. @default 'internal' */
  readonly loadBalancerScheme?: 'internal' | 'internet-facing';
  /** IngressClass name KIC watches, and GatewayClass name. @default 'kong' */
  readonly className?: string;
}

/** The values this project sets (chart `kong` with KIC 3.5). */
export interface KongValues {
  readonly replicaCount: number;
  readonly env: { readonly database: 'off'; readonly log_level: KongLogLevel };
  readonly ingressController: {
    readonly enabled: boolean;
    /** Pinned to the KIC release whose CRDs the schemas come from. */
    readonly image: { readonly tag: string };
    readonly ingressClass: string;
    readonly env: { readonly log_level: string };
    /** Pinned: the namespace's NetworkPolicies open exactly this port to the API server. */
    readonly admissionWebhook: { readonly port: number };
  };
  readonly proxy: {
    readonly type: 'LoadBalancer';
    readonly annotations: Readonly<Record<string, string>>;
    /** Pinned: the namespace's NetworkPolicies open exactly these ports to clients. */
    readonly http: { readonly containerPort: number };
    readonly tls: { readonly containerPort: number };
  };
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly maxUnavailable: number };
}

/** Gitignore rules that keep only `path` (e.g. `./config/crd/standard`) of a repository. */
export function ignoreAllBut(path: string): string {
  const parts = path.replace(/^\.?\//, '').split('/');
  const lines = ['/*'];
  parts.forEach((_, index) => {
    const prefix = `/${parts.slice(0, index + 1).join('/')}`;
    lines.push(`!${prefix}/`);
    if (index < parts.length - 1) lines.push(`${prefix}/*`);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * Kong Ingress Controller (DB-less Kong Gateway + KIC 3.5) and the Gateway API CRDs it needs:
 *
 * - `kong.gateway-api` (infra-controllers): Gateway API standard-channel CRDs v1.6.1, applied by a
 *   Flux Kustomization from the upstream repository at its tag (the Kong chart does not ship them,
 *   and KIC only starts its Gateway controllers if they exist);
 * - `kong` (infra-controllers, after them): the chart (it installs `configuration.konghq.com`) and
 *   the kong namespace's default-deny NetworkPolicies ({@link KongNetworkPolicies});
 * - `kong.gateway-class` (infra-configs): the `GatewayClass` KIC serves.
 */
export function kong(props: KongProps = {}): Unit[] {
  const replicas = props.replicas ?? 2;
  const className = props.className ?? 'kong';
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`kong replicas is ${replicas}; use a whole number of at least 1`);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(className)) throw new Error(`kong className '${className}' must be a DNS label`);

  const crds: Unit = {
    name: GATEWAY_API_UNIT,
    project: KONG_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    render(scope) {
      new flux.GitRepository(scope, 'GatewayApiSource', {
        metadata: { name: 'gateway-api', namespace: 'flux-system' },
        spec: {
          interval: '12h',
          url: GATEWAY_API.url,
          // The commit, not the tag: a tag can be moved, and these CRDs are applied as cluster-admin.
          ref: { commit: GATEWAY_API.commit },
          // Only the CRD folder is needed. Gitignore cannot re-include below an excluded parent, so each level is re-included.
          ignore: ignoreAllBut(GATEWAY_API.path),
        },
      });
      new flux.Kustomization(scope, 'GatewayApiCrds', {
        metadata: { name: 'gateway-api-crds', namespace: 'flux-system', annotations: { [INSTALLS_CRDS_ANNOTATION]: 'gateway.networking.k8s.io' } },
        spec: {
          interval: '1h',
          path: GATEWAY_API.path,
          sourceRef: { kind: flux.KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: 'gateway-api' },
          // Deleting a CRD deletes every Gateway and route: never prune them, never delete them with this object.
          prune: false,
          deletionPolicy: flux.KustomizationSpecDeletionPolicy.ORPHAN,
          wait: true,
          timeout: '5m',
        },
      });
    },
  };

  const controller: Unit = {
    name: KONG_PROJECT,
    project: KONG_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    dependsOn: [GATEWAY_API_UNIT],
    render(scope) {
      new HelmAddon<KongValues>(scope, 'Kong', {
        name: 'kong',
        namespace: KONG_NAMESPACE,
        chart: VERSIONS.kong,
        // KIC 3.x charts also ship the incubator KongServiceFacade CRD.
        installsCrds: ['configuration.konghq.com', 'incubator.ingress-controller.konghq.com'],
        values: {
          replicaCount: replicas,
          env: { database: 'off', log_level: props.proxyLogLevel ?? 'notice' },
          ingressController: {
            enabled: true,
            image: { tag: VERSIONS.kong.appVersion },
            ingressClass: className,
            env: { log_level: props.controllerLogLevel ?? 'info' },
            admissionWebhook: { port: KONG_ADMISSION_WEBHOOK_PORT },
          },
          proxy: {
            type: 'LoadBalancer',
            annotations: {
              'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
              ...((props.loadBalancerScheme ?? 'internal') === 'internal' ? { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' } : {}),
            },
            http: { containerPort: KONG_PROXY_PORTS.http },
            tls: { containerPort: KONG_PROXY_PORTS.tls },
          },
          podDisruptionBudget: { enabled: replicas > 1, maxUnavailable: 1 },
        },
      });
      new KongNetworkPolicies(scope, 'NetworkPolicies', { namespace: KONG_NAMESPACE });
    },
  };

  const gatewayClass: Unit = {
    name: GATEWAY_CLASS_UNIT,
    project: KONG_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-configs',
    dependsOn: [GATEWAY_API_UNIT],
    render(scope) {
      new gatewayApi.GatewayClass(scope, 'GatewayClass', {
        // Unmanaged: KIC programs the proxy the chart deployed instead of provisioning one per Gateway.
        metadata: { name: className, annotations: { 'konghq.com/gatewayclass-unmanaged': 'true' } },
        spec: { controllerName: KONG_GATEWAY_CONTROLLER },
      });
    },
  };
  return [crds, controller, gatewayClass];
}
