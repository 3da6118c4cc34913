import { Construct } from 'constructs';
import * as eso from '@flotilla/k8s-apis/external-secrets';
import { TENANT_SECRET_STORE_NAME, TENANT_TAG_KEY } from './tenancy';


const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export interface TenantSecretStoreProps {
  /** The tenant's namespace; the store is namespaced there, so only that namespace's ExternalSecrets can use it. */
  readonly namespace: string;
  /** Tenant value of the session tag; secrets must carry the same tag value. @default - the namespace */
  readonly tenant?: string;
  /** The access role the store chains to: `tenantSecretsRoleArn(cluster)`. */
  readonly roleArn: string;
  /** Region of the secrets, usually `cluster.region`. */
  readonly region: string;
  /** @default TENANT_SECRET_STORE_NAME ('aws-secrets-manager') */
  readonly name?: string;
  /** @default TENANT_TAG_KEY ('tenant') */
  readonly tagKey?: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
}

/**
 * A tenant's `external-secrets.io/v1` SecretStore on AWS Secrets Manager. No `auth`: ESO uses its
 * controller's Pod Identity credentials and assumes `roleArn` with the session tag
 * `<tagKey>=<tenant>`; the role's ABAC policy then returns only secrets tagged for that tenant.
 *
 * The store is the tenant boundary, so tenants must not be able to write SecretStores themselves
 * (their RBAC must leave out `secretstores`), otherwise a store could claim another tenant's tag.
 */
export class TenantSecretStore extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly tenant: string;
  readonly resource: eso.SecretStore;

  constructor(scope: Construct, id: string, props: TenantSecretStoreProps) {
    super(scope, id);
    this.name = props.name ?? TENANT_SECRET_STORE_NAME;
    this.namespace = props.namespace;
    this.tenant = props.tenant ?? props.namespace;
    for (const [field, value] of [['namespace', props.namespace], ['name', this.name]] as const) {
      if (!DNS_LABEL.test(value)) throw new Error(`TenantSecretStore ${field} "${value}" is not a DNS label; use lowercase letters, digits and '-'`);
    }
    if (!this.tenant || this.tenant.length > 256) throw new Error(`TenantSecretStore tenant "${this.tenant}" must be 1-256 characters (an STS session tag value)`);
    if (!ROLE_ARN.test(props.roleArn)) throw new Error(`TenantSecretStore roleArn "${props.roleArn}" is not an IAM role ARN; pass tenantSecretsRoleArn(cluster)`);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)) throw new Error(`TenantSecretStore region "${props.region}" is not an AWS region such as eu-north-1`);

    this.resource = new eso.SecretStore(this, 'Resource', {
      metadata: { name: this.name, namespace: props.namespace, ...(props.labels ? { labels: { ...props.labels } } : {}) },
      spec: {
        provider: {
          aws: {
            service: eso.SecretStoreSpecProviderAwsService.SECRETS_MANAGER,
            region: props.region,
            role: props.roleArn,
            sessionTags: [{ key: props.tagKey ?? TENANT_TAG_KEY, value: this.tenant }],
          },
        },
      },
    });
  }
}

export interface PlatformSecretStoreProps {
  /** Platform namespaces allowed to use the store (`spec.conditions[].namespaces`). */
  readonly namespaces: readonly string[];
  readonly roleArn: string;
  readonly region: string;
  /** Tenant value of the platform's secrets. @default 'platform' */
  readonly tenant?: string;
  /** @default 'platform-secrets' */
  readonly name?: string;
  /** @default TENANT_TAG_KEY ('tenant') */
  readonly tagKey?: string;
}

/**
 * A `ClusterSecretStore` for platform add-ons, limited to the listed namespaces and chained to the
 * same ABAC role with the tenant tag `platform`: platform components read platform secrets only.
 */
export class PlatformSecretStore extends Construct {
  readonly name: string;
  readonly resource: eso.ClusterSecretStore;

  constructor(scope: Construct, id: string, props: PlatformSecretStoreProps) {
    super(scope, id);
    this.name = props.name ?? 'platform-secrets';
    if (props.namespaces.length === 0) throw new Error(`PlatformSecretStore "${this.name}": namespaces is empty; list the platform namespaces that may use it`);
    for (const namespace of props.namespaces) {
      if (!DNS_LABEL.test(namespace)) throw new Error(`PlatformSecretStore "${this.name}": namespace "${namespace}" is not a DNS label`);
    }
    if (!ROLE_ARN.test(props.roleArn)) throw new Error(`PlatformSecretStore roleArn "${props.roleArn}" is not an IAM role ARN; pass tenantSecretsRoleArn(cluster)`);
    this.resource = new eso.ClusterSecretStore(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        conditions: [{ namespaces: [...props.namespaces].sort() }],
        provider: {
          aws: {
            service: eso.ClusterSecretStoreSpecProviderAwsService.SECRETS_MANAGER,
            region: props.region,
            role: props.roleArn,
            sessionTags: [{ key: props.tagKey ?? TENANT_TAG_KEY, value: props.tenant ?? 'platform' }],
          },
        },
      },
    });
  }
}
