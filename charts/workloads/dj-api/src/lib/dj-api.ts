import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { type Unit, unitCallSite } from '@flotilla/config';
import * as eso from '@flotilla/k8s-apis/external-secrets';
import * as gateway from '@flotilla/k8s-apis/gateway-api';
import * as kong from '@flotilla/k8s-apis/kong';
import {
  assertIntegerInRange,
  assertTeamOwnsHostname,
  ImageReference,
  kongRateLimit,
  TENANT_SECRET_STORE_NAME,
  teamRef,
  tenantFluxOptions,
  tenantLabels,
  WebService,
  WorkloadValidationError,
  type TeamConfig,
} from '@flotilla/workloads';
import { TLS_CLUSTER_ISSUER } from '@flotilla/charts/platform/cert-manager';

/** The Secret cert-manager writes the Gateway's certificate to (created at run time, never rendered). */
export const DJ_TLS_SECRET = 'dj-tls';

/** The two genres the API serves, each under `/dj/<genre>`. */
export const DJ_GENRES = ['jazz', 'metal'] as const;
export type DjGenre = (typeof DJ_GENRES)[number];

/** Kong plugin names the routes carry (`konghq.com/plugins`). */
export const DJ_PLUGINS = { rateLimit: 'dj-rate-limit', keyAuth: 'dj-key-auth', acl: 'dj-acl' } as const;

export interface DjApiProps {
  /** The owning team, the same config the cluster's `teams` unit renders. */
  readonly team: TeamConfig;
  /** Image of v1 and v2 (http-echo style: `-listen=:8080 -text=<genre> <version>`). */
  readonly images: { readonly v1: ImageReference; readonly v2: ImageReference };
  /** Share of requests (percent) sent to v2. @default 5 */
  readonly canaryPercent?: number;
  /**
   * Requests per minute each consumer may send through the whole gateway (Kong `rate-limiting`);
   * divided among the Kong proxy pods ({@link kongRateLimit}).
   *
   * @default 3
   */
  readonly requestsPerMinute?: number;
  /** Kong proxy replicas (the cluster's kong unit `replicas`), each counting on its own. */
  readonly proxyReplicas: number;
  /**
   * The cert-manager ClusterIssuer of the Gateway's certificate (`cert-manager.io/cluster-issuer`).
   *
   * @default TLS_CLUSTER_ISSUER ('letsencrypt')
   */
  readonly tlsIssuer?: string;
  /** Replicas of each version. @default 2 */
  readonly minReplicas?: number;
  /**
   * Host name the Gateway listener and the routes answer, e.g. `api.dev.example.com`; the team must
   * own it (`TeamConfig.hostnames`).
   *
   * @default - the team's first owned hostname
   */
  readonly hostname?: string;
  /**
   * API clients (Kong consumers), named `<team namespace>` or `<team namespace>-…` (Kong consumer
   * names are gateway-wide; `FlotillaKongTenancy` enforces the prefix). Each key lives in Secrets
   * Manager under `<team namespace>/kong/<consumer>` (tagged `tenant=<team>`), JSON `{"key": "…"}`;
   * each consumer is in the team's ACL group (its namespace), the only group the routes allow.
   *
   * @default ['dj-client']
   */
  readonly consumers?: readonly string[];
}

/**
 * The DJ API behind Kong: `jazz` and `metal`, each in v1 and v2, exposed under `/dj/jazz` and
 * `/dj/metal` through a Gateway API `Gateway` (class `kong`) and one `HTTPRoute` per genre whose
 * backendRefs split traffic by weight (95/5 by default). The routes carry Kong's key-auth, acl (the
 * team's group only) and rate-limiting (per consumer) plugins; consumer keys are synced from
 * Secrets Manager by ESO, never rendered.
 */
export function djApi(props: DjApiProps): Unit {
  const team = teamRef(props.team);
  const canary = props.canaryPercent ?? 5;
  assertIntegerInRange('canaryPercent', canary, 0, 100);
  const rateLimit = kongRateLimit({ requestsPerMinute: props.requestsPerMinute ?? 3, proxyReplicas: props.proxyReplicas, limitBy: 'consumer' });
  const consumers = props.consumers ?? ['dj-client'];
  for (const consumer of consumers) {
    if (consumer !== team.namespace && !consumer.startsWith(`${team.namespace}-`)) {
      throw new WorkloadValidationError('charts/workloads/dj-api', `'consumers' entry '${consumer}' must be '${team.namespace}' or start with '${team.namespace}-': Kong consumer names are shared by every team on the gateway`);
    }
  }
  const hostname = props.hostname ?? props.team.hostnames?.[0];
  if (hostname === undefined) {
    throw new WorkloadValidationError('charts/workloads/dj-api', `team '${team.name}' owns no hostname and 'hostname' is not set; add the API's hostname to the team's 'hostnames' in its TeamConfig`);
  }
  assertTeamOwnsHostname(props.team, 'hostname', hostname);
  return {
    name: 'dj-api',
    project: 'dj-api',
    createdAt: unitCallSite(),
    layer: 'apps',
    dependsOn: ['teams'],
    flux: tenantFluxOptions(team),
    render(scope) {
      const labels = { ...tenantLabels(team) };
      const meta = (name: string, annotations?: Record<string, string>) => ({ name, namespace: team.namespace, labels, ...(annotations ? { annotations } : {}) });

      const services = new Map<string, WebService>();
      for (const genre of DJ_GENRES) {
        for (const version of ['v1', 'v2'] as const) {
          const name = `${genre}-${version}`;
          services.set(
            name,
            new WebService(scope, name, {
              team,
              name,
              image: props.images[version],
              args: ['-listen=:8080', `-text=${genre} ${version}`],
              resources: { cpu: kplus.Cpu.millis(50), memory: Size.mebibytes(32) },
              minReplicas: props.minReplicas ?? 2,
              maxReplicas: Math.max(4, props.minReplicas ?? 2),
              readiness: kplus.Probe.fromHttpGet('/', { port: 8080 }),
            }),
          );
        }
      }

      new kong.KongPlugin(scope, 'RateLimit', {
        metadata: meta(DJ_PLUGINS.rateLimit),
        plugin: 'rate-limiting',
        config: { ...rateLimit },
      });
      new kong.KongPlugin(scope, 'KeyAuth', {
        metadata: meta(DJ_PLUGINS.keyAuth),
        plugin: 'key-auth',
        // Keys only in the `apikey` header: a key in the query string ends up in access logs, proxies and
        // browser history, and one in the body is read by every upstream. Kong strips it before proxying.
        config: { key_names: ['apikey'], key_in_header: true, key_in_query: false, key_in_body: false, hide_credentials: true },
      });
      // Only the team's own consumers (ACL group = the team namespace) pass, whoever else holds a key.
      new kong.KongPlugin(scope, 'Acl', {
        metadata: meta(DJ_PLUGINS.acl),
        plugin: 'acl',
        config: { allow: [team.namespace], hide_groups_header: true },
      });

      for (const consumer of consumers) {
        const credential = `${consumer}-key-auth`;
        const aclCredential = `${consumer}-acl`;
        new eso.ExternalSecret(scope, `Credential-${consumer}`, {
          metadata: meta(credential),
          spec: {
            secretStoreRef: { kind: eso.ExternalSecretSpecSecretStoreRefKind.SECRET_STORE, name: TENANT_SECRET_STORE_NAME },
            refreshInterval: '1h',
            target: {
              name: credential,
              creationPolicy: eso.ExternalSecretSpecTargetCreationPolicy.OWNER,
              template: { metadata: { labels: { ...labels, 'konghq.com/credential': 'key-auth' } } },
            },
            data: [{ secretKey: 'key', remoteRef: { key: `${team.namespace}/kong/${consumer}`, property: 'key' } }],
          },
        });
        // KIC reads ACL membership from a credential Secret; the group is a literal of the template, and
        // the remote key is read only because an ExternalSecret needs data (the Secret holds just the group).
        new eso.ExternalSecret(scope, `AclCredential-${consumer}`, {
          metadata: meta(aclCredential),
          spec: {
            secretStoreRef: { kind: eso.ExternalSecretSpecSecretStoreRefKind.SECRET_STORE, name: TENANT_SECRET_STORE_NAME },
            refreshInterval: '1h',
            target: {
              name: aclCredential,
              creationPolicy: eso.ExternalSecretSpecTargetCreationPolicy.OWNER,
              template: { metadata: { labels: { ...labels, 'konghq.com/credential': 'acl' } }, data: { group: team.namespace } },
            },
            data: [{ secretKey: 'key', remoteRef: { key: `${team.namespace}/kong/${consumer}`, property: 'key' } }],
          },
        });
        new kong.KongConsumer(scope, `Consumer-${consumer}`, {
          metadata: meta(consumer, { 'kubernetes.io/ingress.class': 'kong' }),
          username: consumer,
          credentials: [credential, aclCredential],
        });
      }

      // HTTPS only: API keys never cross the network in clear. No HTTP listener, so no route answers on
      // port 80 (a redirect would still have received the key in clear). cert-manager's Gateway support
      // issues the listener's certificate into the Secret it names.
      new gateway.Gateway(scope, 'Gateway', {
        metadata: meta('dj', { 'cert-manager.io/cluster-issuer': props.tlsIssuer ?? TLS_CLUSTER_ISSUER }),
        spec: {
          gatewayClassName: 'kong',
          listeners: [
            {
              name: 'https',
              protocol: 'HTTPS',
              port: 443,
              hostname,
              tls: { mode: gateway.GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: DJ_TLS_SECRET }] },
              allowedRoutes: { namespaces: { from: gateway.GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } },
            },
          ],
        },
      });

      for (const genre of DJ_GENRES) {
        const backend = (version: 'v1' | 'v2', weight: number) => {
          const service = services.get(`${genre}-${version}`)!;
          return { name: service.name, port: service.servicePort, weight };
        };
        new gateway.HttpRoute(scope, `Route-${genre}`, {
          metadata: meta(genre, { 'konghq.com/plugins': `${DJ_PLUGINS.keyAuth},${DJ_PLUGINS.acl},${DJ_PLUGINS.rateLimit}`, 'konghq.com/strip-path': 'true' }),
          spec: {
            parentRefs: [{ name: 'dj', sectionName: 'https' }],
            hostnames: [hostname],
            rules: [
              {
                matches: [{ path: { type: gateway.HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: `/dj/${genre}` } }],
                backendRefs: [backend('v1', 100 - canary), backend('v2', canary)],
              },
            ],
          },
        });
      }
    },
  };
}
