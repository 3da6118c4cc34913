import * as eso from '@flotilla/k8s-apis/external-secrets';
import { Construct } from 'constructs';
import type { TeamRef } from './tenant-labels';
import { WorkloadValidationError } from './validation-error';

/** Name of the team's Secrets Manager SecretStore in its namespace. */
export const TEAM_SECRET_STORE_NAME = 'aws-secrets-manager';

/** The session tag key the tenants' ABAC role policy matches (`${aws:PrincipalTag/tenant}`). */
export const TENANT_SESSION_TAG = 'tenant';

/** The team's AWS Secrets Manager store (ESO `SecretStore` named {@link TEAM_SECRET_STORE_NAME}). */
export interface TeamSecretStoreOptions {
  /**
   * The ABAC role ESO assumes; its policy allows only secrets tagged `tenant=${aws:PrincipalTag/tenant}`,
   * and the store passes the session tag `tenant=<team>`.
   */
  readonly roleArn: string;
  /** AWS region of the secrets. */
  readonly region: string;
}

export interface TeamSecretStoreProps extends TeamSecretStoreOptions {
  readonly team: TeamRef;
  /** Labels for the store. @default - none */
  readonly labels?: Record<string, string>;
}

/**
 * The team's `external-secrets.io/v1` SecretStore on Secrets Manager: ESO (Pod Identity on its
 * controller account, no per-store `auth`) assumes the ABAC role with the session tag
 * `tenant=<team>`, so the team reads only secrets tagged with its own name.
 */
export class TeamSecretStore extends Construct {
  readonly name = TEAM_SECRET_STORE_NAME;

  constructor(scope: Construct, id: string, props: TeamSecretStoreProps) {
    super(scope, id);
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(props.roleArn)) {
      throw new WorkloadValidationError('workloads/team', `'secretStore.roleArn' ('${props.roleArn}') must be an IAM role ARN, 'arn:aws:iam::<account>:role/<name>'`);
    }
    new eso.SecretStore(this, 'Resource', {
      metadata: { name: TEAM_SECRET_STORE_NAME, namespace: props.team.namespace, labels: props.labels },
      spec: {
        provider: {
          aws: {
            service: eso.SecretStoreSpecProviderAwsService.SECRETS_MANAGER,
            region: props.region,
            role: props.roleArn,
            sessionTags: [{ key: TENANT_SESSION_TAG, value: props.team.name }],
          },
        },
      },
    });
  }
}
