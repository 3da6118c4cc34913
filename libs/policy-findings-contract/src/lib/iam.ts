import { eksClusterArn, partitionOfRegion, productArn } from './asff';

/** Every API action the function calls, by purpose. STS GetCallerIdentity (the EKS token) needs no permission. */
export const FINDINGS_IAM_ACTIONS = {
  /** Create, update and archive its findings in the account's default product. */
  import: ['securityhub:BatchImportFindings'],
  /** Find its earlier ACTIVE findings, to archive the ones whose violation is gone. */
  read: ['securityhub:GetFindings'],
  /** The API server endpoint and CA, when the typed config does not carry them. */
  cluster: ['eks:DescribeCluster'],
  /** Its own log group. */
  logs: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
} as const;

export interface IamPolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

export interface FindingsPolicyProps {
  readonly account: string;
  readonly region: string;
  readonly functionName: string;
  /** EKS cluster names the function reads. */
  readonly eksClusterNames: readonly string[];
}

/**
 * Least-privilege statements. `BatchUpdateFindings` is not granted: it is the customer/SOAR API (workflow, notes)
 * and cannot change RecordState; the provider archives by re-importing with RecordState ARCHIVED.
 */
export function findingsPolicyStatements(props: FindingsPolicyProps): IamPolicyStatement[] {
  const partition = partitionOfRegion(props.region);
  return [
    { Sid: 'ImportFindings', Effect: 'Allow', Action: [...FINDINGS_IAM_ACTIONS.import], Resource: [productArn(props)] },
    { Sid: 'ReadOwnFindings', Effect: 'Allow', Action: [...FINDINGS_IAM_ACTIONS.read], Resource: [`arn:${partition}:securityhub:${props.region}:${props.account}:hub/default`] },
    {
      Sid: 'DescribeClusters',
      Effect: 'Allow',
      Action: [...FINDINGS_IAM_ACTIONS.cluster],
      Resource: props.eksClusterNames.map((name) => eksClusterArn({ account: props.account, region: props.region, source: 'audit', eksClusterName: name }, name)),
    },
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: [...FINDINGS_IAM_ACTIONS.logs],
      Resource: [`arn:${partition}:logs:${props.region}:${props.account}:log-group:/aws/lambda/${props.functionName}:*`],
    },
  ];
}
