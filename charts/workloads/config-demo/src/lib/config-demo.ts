import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { type Unit, unitCallSite } from '@flotilla/config';
import { AppConfigBinding, bindingReadStatements, type AppConfigBindingSpec, type AppConfigDelivery } from '@flotilla/charts/platform/appconfig-sync';
import { ImageReference, tenantFluxOptions, WebService, WorkloadIdentity } from '@flotilla/workloads';

export interface ConfigDemoProps {
  /** The binding, the same spec the cluster lists in the `appconfig-sync-platform` unit. */
  readonly binding: AppConfigBindingSpec;
  /** @default 1 */
  readonly minReplicas?: number;
  /** @default 2 */
  readonly maxReplicas?: number;
  /** @default Duration.minutes(1) */
  readonly refreshInterval?: Duration;
  /** @default { mode: 'agent-sidecar' } */
  readonly delivery?: AppConfigDelivery;
  /** nginx-unprivileged (uid 101) with `sh` and `wget`. @default public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine */
  readonly image?: ImageReference;
}

/** Object names operators and other units refer to. */
export const CONFIG_DEMO = { name: 'config-demo', serviceAccount: 'config-demo' } as const;

const DEFAULT_IMAGE = 'public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine';

// Reads the configuration once at start (like most apps) and serves it: only a restart shows a new version.
const START = [
  'mkdir -p /tmp/www',
  'if [ -n "$APPCONFIG_URL" ]; then wget -qO /tmp/www/config.json "$APPCONFIG_URL"; else cp "$APPCONFIG_FILE" /tmp/www/config.json; fi',
  "exec nginx -g 'daemon off;'",
].join('\n');

const NGINX_CONF = `server {
    listen 8080;
    server_name _;
    location / {
        root /tmp/www;
        default_type application/json;
    }
}
`;

/**
 * The AppConfig example app (a team-a tenant unit): a small web service that reads its
 * configuration once at start from the AppConfig Agent sidecar and is restarted by Reloader when a
 * new version is deployed. The AWS side of its binding is rendered by the platform unit; until the
 * binding's AppConfig IDs are known (phase 1) the app renders nothing.
 */
export function configDemo(props: ConfigDemoProps): Unit {
  const team = props.binding.team;
  return {
    name: 'config-demo',
    project: 'config-demo',
    createdAt: unitCallSite(),
    layer: 'apps',
    dependsOn: ['teams'],
    flux: tenantFluxOptions(team),
    render(scope, { cluster }) {
      const spec = props.binding;
      if (!spec.ids) return; // phase 1: the platform creates the AppConfig resources first
      const identity = new WorkloadIdentity(scope, 'Identity', {
        team,
        serviceAccountName: CONFIG_DEMO.serviceAccount,
        cluster,
        statements: bindingReadStatements(cluster, spec),
      });
      const web = new WebService(scope, 'Web', {
        team,
        name: CONFIG_DEMO.name,
        image: props.image ?? ImageReference.parse(DEFAULT_IMAGE),
        resources: { cpu: kplus.Cpu.millis(50), memory: Size.mebibytes(64) },
        minReplicas: props.minReplicas ?? 1,
        maxReplicas: props.maxReplicas ?? 2,
        runAsUser: 101,
        command: ['/bin/sh', '-ec', START],
        readiness: kplus.Probe.fromHttpGet('/config.json', { port: 8080 }),
        config: { files: { 'default.conf': NGINX_CONF }, mountPath: '/etc/nginx/conf.d' },
        writablePaths: ['/tmp', '/run', '/var/cache/nginx'],
        serviceAccount: identity.serviceAccount,
      });
      new AppConfigBinding(scope, 'AppConfig', {
        cluster,
        spec,
        workload: web.deployment,
        refreshInterval: props.refreshInterval,
        delivery: props.delivery,
      });
    },
  };
}
