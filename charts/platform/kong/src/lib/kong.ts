import { type Unit, unitCallSite } from '@flotilla/config';
import { GATEWAY_API, HelmAddon, VERSIONS } from '@flotilla/constructs';
import { INSTALLS_CRDS_ANNOTATION } from '@flotilla/model';
import { LOAD_BALANCER_CONTROLLER_PROJECT, NLB_LOAD_BALANCER_CLASS } from '@flotilla/charts/platform/aws-load-balancer-controller';
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
  /**
   * Where the Network Load Balancer connects from: the VPC's CIDR (`c.vpc.cidr`; IP targets). Kong
   * takes the client address from the PROXY protocol header only on connections from these
   * (`trusted_ips`), so per-IP rate limits and logs see clients, and nobody else can claim an address.
   */
  readonly trustedCidrs: readonly string[];
}

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;

/** The values this project sets (chart `kong` with KIC 3.5). */
export interface KongValues {
  readonly replicaCount: number;
  readonly env: {
    readonly database: 'off';
    readonly log_level: KongLogLevel;
    /** The client address comes from the PROXY protocol header the NLB sends. */
    readonly real_ip_header: 'proxy_protocol';
    /** Comma-separated CIDRs whose PROXY header Kong believes (the load balancer's). */
    readonly trusted_ips: string;
  };
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
    /** The AWS Load Balancer Controller provisions the NLB (not the in-tree cloud provider). */
    readonly loadBalancerClass: string;
    readonly annotations: Readonly<Record<string, string>>;
    /** Pinned: the namespace's NetworkPolicies open exactly these ports to clients. Both listeners expect the PROXY header. */
    readonly http: { readonly containerPort: number; readonly parameters: readonly string[] };
    readonly tls: { readonly containerPort: number; readonly parameters: readonly string[] };
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
export function kong(props: KongProps): Unit[] {
  const replicas = props.replicas ?? 2;
  const className = props.className ?? 'kong';
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`kong replicas is ${replicas}; use a whole number of at least 1`);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(className)) throw new Error(`kong className '${className}' must be a DNS label`);
  if (props.trustedCidrs.length === 0) throw new Error("kong trustedCidrs is empty; pass the VPC's CIDR (c.vpc.cidr): the NLB connects from there and Kong must trust its PROXY header");
  for (const cidr of props.trustedCidrs) {
    if (!IPV4_CIDR.test(cidr) || cidr.endsWith('/0')) throw new Error(`kong trustedCidrs entry '${cidr}' must be an IPv4 CIDR narrower than /0, e.g. '10.10.0.0/16' (the VPC's)`);
  }

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
    // The NLB is the load balancer controller's: it must run before the proxy Service exists.
    dependsOn: [GATEWAY_API_UNIT, LOAD_BALANCER_CONTROLLER_PROJECT],
    render(scope) {
      new HelmAddon<KongValues>(scope, 'Kong', {
        name: 'kong',
        namespace: KONG_NAMESPACE,
        chart: VERSIONS.kong,
        // KIC 3.x charts also ship the incubator KongServiceFacade CRD.
        installsCrds: ['configuration.konghq.com', 'incubator.ingress-controller.konghq.com'],
        values: {
          replicaCount: replicas,
          env: { database: 'off', log_level: props.proxyLogLevel ?? 'notice', real_ip_header: 'proxy_protocol', trusted_ips: props.trustedCidrs.join(',') },
          ingressController: {
            enabled: true,
            image: { tag: VERSIONS.kong.appVersion },
            ingressClass: className,
            env: { log_level: props.controllerLogLevel ?? 'info' },
            admissionWebhook: { port: KONG_ADMISSION_WEBHOOK_PORT },
          },
          proxy: {
            type: 'LoadBalancer',
            loadBalancerClass: NLB_LOAD_BALANCER_CLASS,
            // TCP pass-through to the pods (IP targets), PROXY protocol v2 carrying the client address;
            // Kong terminates TLS with the certificates cert-manager issues.
            annotations: {
              'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
              'service.beta.kubernetes.io/aws-load-balancer-scheme': props.loadBalancerScheme ?? 'internal',
              'service.beta.kubernetes.io/aws-load-balancer-proxy-protocol': '*',
            },
            http: { containerPort: KONG_PROXY_PORTS.http, parameters: ['proxy_protocol'] },
            tls: { containerPort: KONG_PROXY_PORTS.tls, parameters: ['http2', 'proxy_protocol'] },
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
