import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { type Unit, unitCallSite } from '@flotilla/config';
import {
  AwsSecretsProviderClass,
  IdentityMode,
  ImageReference,
  PostgresInstance,
  teamRef,
  tenantFluxOptions,
  WebService,
  WorkloadIdentity,
  type TeamConfig,
} from '@flotilla/workloads';

/** The team's PostgreSQL, per cluster. */
export interface TeamAWebDatabaseProps {
  /** e.g. `db.t4g.micro`. */
  readonly instanceClass: string;
  /** @default '17.6' */
  readonly engineVersion?: string;
  /** @default Size.gibibytes(20) */
  readonly allocatedStorage?: Size;
  /** Private subnets of the cluster's VPC, at least two AZs. */
  readonly subnetIds: readonly string[];
  /** Security group admitting the cluster's pods on 5432. */
  readonly securityGroupIds: readonly string[];
  /** Skip the final snapshot on deletion; true only where the data is disposable (dev). */
  readonly skipFinalSnapshot: boolean;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** @default false */
  readonly multiAz?: boolean;
  /**
   * ARN of the master-user secret RDS created, read from the ConfigMap `web-db-outputs`
   * (key `masterUserSecretArn`) after the first deploy.
   *
   * @default - not known yet: only the database and the web identity are deployed (phase 1)
   */
  readonly masterUserSecretArn?: string;
}

export interface TeamAWebProps {
  /** The owning team, the same config the cluster's `teams` unit renders. */
  readonly team: TeamConfig;
  readonly database: TeamAWebDatabaseProps;
  /** @default - `DEFAULTS.image` (public.ecr.aws/nginx/nginx:1.29.3) */
  readonly image?: ImageReference;
  /** @default 2 */
  readonly minReplicas?: number;
  /** @default 4 */
  readonly maxReplicas?: number;
}

/** Object names other units and operators refer to. */
export const TEAM_A_WEB = {
  service: 'web',
  serviceAccount: 'web',
  database: 'web-db',
  secretProviderClass: 'web-db-credentials',
  /** Where the pod finds `username` and `password` of the database. */
  secretsMountPath: '/mnt/secrets/db',
} as const;

/** Defaults of the reference app; cluster files override them through the props. */
const DEFAULTS = {
  image: 'public.ecr.aws/nginx/nginx:1.29.3',
} as const;

// The official image runs as its nginx user (uid 101) when the port is unprivileged and the pid
// (/run) and temp (/var/cache/nginx) directories are writable.
const NGINX_CONF = `server {
    listen 8080;
    server_name _;
    location = /healthz {
        access_log off;
        return 200 'ok';
    }
    location / {
        root /usr/share/nginx/html;
        index index.html;
    }
}
`;

/**
 * team-a's web service with its own PostgreSQL: an ACK RDS instance whose master password RDS
 * keeps in Secrets Manager, read by the pods through the Secrets Store CSI driver with their own
 * IRSA role (allowed to read exactly that secret).
 */
export function teamAWeb(props: TeamAWebProps): Unit {
  const team = teamRef(props.team);
  return {
    name: 'team-a-web',
    project: 'team-a-web',
    createdAt: unitCallSite(),
    layer: 'apps',
    dependsOn: ['teams'],
    flux: tenantFluxOptions(team),
    render(scope, { cluster }) {
      const db = props.database;
      const database = new PostgresInstance(scope, 'Database', {
        team,
        name: TEAM_A_WEB.database,
        account: cluster.account,
        region: cluster.region,
        instanceClass: db.instanceClass,
        engineVersion: db.engineVersion ?? '17.6',
        allocatedStorage: db.allocatedStorage ?? Size.gibibytes(20),
        subnetIds: db.subnetIds,
        securityGroupIds: db.securityGroupIds,
        skipFinalSnapshot: db.skipFinalSnapshot,
        deletionProtection: db.deletionProtection,
        multiAz: db.multiAz,
        masterUserSecretArn: db.masterUserSecretArn,
      });
      // IRSA: the CSI driver's AWS provider fetches secrets with the pod's own token.
      const identity = new WorkloadIdentity(scope, 'Identity', {
        team,
        serviceAccountName: TEAM_A_WEB.serviceAccount,
        cluster,
        mode: IdentityMode.IRSA,
        statements: [{ sid: 'ReadDatabaseMasterSecret', ...database.masterSecretReadStatement() }],
      });
      if (!database.masterUserSecretArn) return; // phase 1: RDS has not named its secret yet

      const credentials = new AwsSecretsProviderClass(scope, 'Credentials', {
        team,
        name: TEAM_A_WEB.secretProviderClass,
        region: cluster.region,
        objects: [
          {
            objectName: database.masterUserSecretArn,
            objectAlias: 'master-user-secret',
            jmesPath: [
              { path: 'username', objectAlias: 'username' },
              { path: 'password', objectAlias: 'password' },
            ],
          },
        ],
      });
      new WebService(scope, 'Web', {
        team,
        name: TEAM_A_WEB.service,
        image: props.image ?? ImageReference.parse(DEFAULTS.image),
        runAsUser: 101,
        resources: { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) },
        minReplicas: props.minReplicas,
        maxReplicas: props.maxReplicas,
        readiness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
        liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080, failureThreshold: 6 }),
        serviceAccount: identity.serviceAccount,
        config: { files: { 'default.conf': NGINX_CONF }, mountPath: '/etc/nginx/conf.d' },
        mounts: [{ volume: credentials.volume(scope, 'CredentialsVolume', 'db-credentials'), path: TEAM_A_WEB.secretsMountPath }],
        writablePaths: ['/tmp', '/run', '/var/cache/nginx'],
        env: { DATABASE_SECRET_DIR: TEAM_A_WEB.secretsMountPath },
      });
    },
  };
}
