/**
 * The IAM permissions the handler needs, as data, so the infrastructure side can render least-privilege statements
 * per binding. Resource ARN formats follow the IAM Service Authorization Reference for AppConfig and Secrets Manager
 * (not re-verified against a live account; see README).
 */

import type { PolicyStatement } from '@flotilla/model';

/** Every API action the handler can call, by the API that needs it. */
export const HANDLER_IAM_ACTIONS = {
  /** Always: is the profile hosted? */
  profile: ['appconfig:GetConfigurationProfile'],
  /** Hosted profiles: read the exact version. */
  hostedVersion: ['appconfig:GetHostedConfigurationVersion'],
  /** Hosted profiles, rollback events: find the last COMPLETE deployment. */
  deployments: ['appconfig:ListDeployments', 'appconfig:GetDeployment'],
  /** Non-hosted profiles (S3, SSM, …): data-plane read. The IAM prefix is `appconfig:`, not `appconfigdata:`. */
  dataPlane: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
  /** The binding's secret: compare, then write. */
  secret: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
  /** Only when the secret is encrypted with a customer-managed KMS key. */
  kms: ['kms:Decrypt', 'kms:GenerateDataKey'],
} as const;

export interface HandlerPolicyProps {
  readonly region: string;
  readonly account: string;
  readonly applicationId: string;
  readonly environmentId: string;
  readonly configurationProfileId: string;
  /** Secret name (the ARN gets the `-??????` suffix wildcard) or full secret ARN. */
  readonly secretId: string;
  /**
   * Partition of the ARNs.
   *
   * @default 'aws'
   */
  readonly partition?: string;
  /**
   * Where the profile stores its configuration; narrows the AppConfig statements.
   *
   * @default - statements for both hosted and non-hosted profiles
   */
  readonly profileLocation?: 'hosted' | 'external';
  /**
   * Customer-managed KMS key of the secret.
   *
   * @default - none (the AWS-managed `aws/secretsmanager` key needs no grant)
   */
  readonly kmsKeyArn?: string;
}

/** Least-privilege statements for one binding (one profile → one secret). */
export function handlerPolicyStatements(props: HandlerPolicyProps): PolicyStatement[] {
  const partition = props.partition ?? 'aws';
  const app = `arn:${partition}:appconfig:${props.region}:${props.account}:application/${props.applicationId}`;
  const env = `${app}/environment/${props.environmentId}`;
  const profile = `${app}/configurationprofile/${props.configurationProfileId}`;
  const secret = props.secretId.startsWith('arn:')
    ? props.secretId
    : `arn:${partition}:secretsmanager:${props.region}:${props.account}:secret:${props.secretId}-??????`;
  const hosted = props.profileLocation !== 'external';
  const external = props.profileLocation !== 'hosted';

  const statements: PolicyStatement[] = [
    { sid: 'ReadProfile', actions: [...HANDLER_IAM_ACTIONS.profile], resources: [profile] },
  ];
  if (hosted) {
    statements.push(
      { sid: 'ReadHostedVersions', actions: [...HANDLER_IAM_ACTIONS.hostedVersion], resources: [`${profile}/hostedconfigurationversion/*`] },
      { sid: 'ListDeployments', actions: ['appconfig:ListDeployments'], resources: [env] },
      { sid: 'ReadDeployments', actions: ['appconfig:GetDeployment'], resources: [`${env}/deployment/*`] },
    );
  }
  if (external) {
    statements.push({
      sid: 'ReadDataPlane',
      actions: [...HANDLER_IAM_ACTIONS.dataPlane],
      resources: [`${env}/configuration/${props.configurationProfileId}`],
    });
  }
  statements.push({ sid: 'WriteHashSecret', actions: [...HANDLER_IAM_ACTIONS.secret], resources: [secret] });
  if (props.kmsKeyArn) {
    statements.push({
      sid: 'UseSecretKey',
      actions: [...HANDLER_IAM_ACTIONS.kms],
      resources: [props.kmsKeyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
    });
  }
  return statements;
}
