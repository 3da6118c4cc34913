import type { PolicyStatement } from '@flotilla/model';
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
export function findingsPolicyStatements(props: FindingsPolicyProps): PolicyStatement[] {
  const partition = partitionOfRegion(props.region);
  return [
    { sid: 'ImportFindings', actions: [...FINDINGS_IAM_ACTIONS.import], resources: [productArn(props)] },
    { sid: 'ReadOwnFindings', actions: [...FINDINGS_IAM_ACTIONS.read], resources: [`arn:${partition}:securityhub:${props.region}:${props.account}:hub/default`] },
    {
      sid: 'DescribeClusters',
      actions: [...FINDINGS_IAM_ACTIONS.cluster],
      resources: props.eksClusterNames.map((name) => eksClusterArn({ account: props.account, region: props.region, source: 'audit', eksClusterName: name }, name)),
    },
    {
      sid: 'WriteOwnLogs',
      actions: [...FINDINGS_IAM_ACTIONS.logs],
      resources: [`arn:${partition}:logs:${props.region}:${props.account}:log-group:/aws/lambda/${props.functionName}:*`],
    },
  ];
}
