import { createHash } from 'node:crypto';
import { SEVERITY_NORMALIZED, severityFor, type SeverityLabel } from './severity';
import { qualifiedKind, type PolicyViolationRecord } from './violation';

/** ASFF schema version Security Hub accepts in BatchImportFindings. */
export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** Finding type (ASFF `namespace/category`; the namespace is one of the fixed ASFF namespaces). */
export const FINDING_TYPE = 'Software and Configuration Checks/Kubernetes Policies';
/** Security Hub's limits on `Id`, `Resources[].Id`, `Title` and `Description`. */
const MAX_ID = 512;
const MAX_TITLE = 256;
const MAX_DESCRIPTION = 1024;

/** Where a finding comes from: Gatekeeper's audit in the cluster, or Flotilla's evaluation of a pull request. */
export type FindingSource = 'audit' | 'pre-merge';

export interface FindingContext {
  readonly account: string;
  readonly region: string;
  readonly source: FindingSource;
  /** The EKS cluster name in AWS. @default - the fleet cluster name */
  readonly eksClusterName?: string;
}

export interface FindingTimes {
  /** When the finding was first created; kept across updates. */
  readonly createdAt: string;
  /** When this record was last changed by the provider. */
  readonly updatedAt: string;
  /** @default createdAt */
  readonly firstObservedAt?: string;
  /** @default updatedAt */
  readonly lastObservedAt?: string;
}

/** The subset of the ASFF `AwsSecurityFinding` Flotilla writes (structurally what the SDK's type accepts). */
export interface AsffFinding {
  readonly SchemaVersion: string;
  readonly Id: string;
  readonly ProductArn: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Region: string;
  readonly Types: string[];
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly FirstObservedAt: string;
  readonly LastObservedAt: string;
  readonly Severity: { Label: SeverityLabel; Normalized: number; Original: string };
  readonly FindingProviderFields: { Severity: { Label: SeverityLabel; Original: string }; Types: string[] };
  readonly Title: string;
  readonly Description: string;
  readonly ProductName: string;
  readonly CompanyName: string;
  readonly ProductFields: Record<string, string>;
  readonly Resources: AsffResource[];
  readonly Workflow: { Status: 'NEW' };
  readonly RecordState: 'ACTIVE' | 'ARCHIVED';
}

export interface AsffResource {
  readonly Type: string;
  readonly Id: string;
  readonly Partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  readonly Region: string;
  readonly Details?: { Other?: Record<string, string>; AwsEksCluster?: { Name?: string } };
}

export function partitionOfRegion(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/** The account's own product, which any account with Security Hub may import into (`BatchImportFindings`). */
export function productArn(context: Pick<FindingContext, 'account' | 'region'>): string {
  return `arn:${partitionOfRegion(context.region)}:securityhub:${context.region}:${context.account}:product/${context.account}/default`;
}

export function eksClusterArn(context: FindingContext, cluster: string): string {
  return `arn:${partitionOfRegion(context.region)}:eks:${context.region}:${context.account}:cluster/${context.eksClusterName ?? cluster}`;
}

/** Every finding of one cluster and source has a GeneratorId under this prefix (the GetFindings filter). */
export function generatorPrefix(context: FindingContext, cluster: string): string {
  return `flotilla/gatekeeper/${context.source}/${cluster}/`;
}

/** One generator per constraint: `flotilla/gatekeeper/<source>/<cluster>/<constraintKind>/<constraintName>`. */
export function generatorId(context: FindingContext, cluster: string, constraintKind: string, constraintName: string): string {
  return `${generatorPrefix(context, cluster)}${constraintKind}/${constraintName}`;
}

/** Stable per (source, cluster, constraint, object); long ids fall back to a hash of the object part. */
export function findingId(context: FindingContext, violation: PolicyViolationRecord): string {
  const generator = generatorId(context, violation.cluster, violation.constraintKind, violation.constraintName);
  const objectPart = `${violation.object.namespace ?? '_cluster'}/${qualifiedKind(violation.object)}/${violation.object.name}`;
  const id = `${generator}/${objectPart}`;
  return id.length <= MAX_ID ? id : `${generator}/sha256-${sha256(objectPart)}`.slice(0, MAX_ID);
}

/** The Id of a constraint's "more violations than listed" finding. */
export function truncationFindingId(context: FindingContext, cluster: string, constraintKind: string, constraintName: string): string {
  return `${generatorId(context, cluster, constraintKind, constraintName)}/_truncated`;
}

/** One violation as an ACTIVE ASFF finding. */
export function violationFinding(violation: PolicyViolationRecord, context: FindingContext, times: FindingTimes): AsffFinding {
  const severity = severityFor(violation.enforcementAction, violation.severity);
  const object = violation.object;
  const ref = `${qualifiedKind(object)} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
  const clusterArn = eksClusterArn(context, violation.cluster);
  const objectId = `${clusterArn}/${object.namespace ?? '_cluster'}/${qualifiedKind(object)}/${object.name}`;
  return base(context, violation.cluster, violation.constraintKind, violation.constraintName, times, {
    id: findingId(context, violation),
    severity,
    original: violation.enforcementAction,
    title: `${violation.constraintKind}/${violation.constraintName}: ${ref} in ${violation.cluster}`,
    description: violation.message,
    productFields: {
      'flotilla/enforcementAction': violation.enforcementAction,
      'flotilla/object': ref,
      ...(violation.location ? { 'flotilla/file': violation.location.file, 'flotilla/line': String(violation.location.line) } : {}),
    },
    objectResource: {
      Type: 'Other',
      Id: objectId.length <= MAX_ID ? objectId : `${clusterArn}/sha256-${sha256(objectId)}`,
      Partition: partitionOfRegion(context.region),
      Region: context.region,
      Details: {
        Other: {
          cluster: violation.cluster,
          kind: object.kind,
          ...(object.apiGroup ? { apiGroup: object.apiGroup } : {}),
          ...(object.namespace ? { namespace: object.namespace } : {}),
          name: object.name,
        },
      },
    },
  });
}

export interface TruncatedConstraint {
  readonly cluster: string;
  readonly constraintKind: string;
  readonly constraintName: string;
  readonly enforcementAction: string;
  readonly totalViolations: number;
  readonly listedViolations: number;
}

/**
 * INFORMATIONAL finding for a constraint whose `status.totalViolations` exceeds the violations Gatekeeper lists
 * (`--constraint-violations-limit`, default 20): the unlisted ones cannot become findings of their own.
 */
export function truncationFinding(constraint: TruncatedConstraint, context: FindingContext, times: FindingTimes): AsffFinding {
  const hidden = constraint.totalViolations - constraint.listedViolations;
  return base(context, constraint.cluster, constraint.constraintKind, constraint.constraintName, times, {
    id: truncationFindingId(context, constraint.cluster, constraint.constraintKind, constraint.constraintName),
    severity: 'INFORMATIONAL',
    original: 'truncated',
    title: `${constraint.constraintKind}/${constraint.constraintName}: ${hidden} more violation(s) than listed in ${constraint.cluster}`,
    description:
      `Gatekeeper's audit counts ${constraint.totalViolations} violations of ${constraint.constraintKind}/${constraint.constraintName} but lists ` +
      `${constraint.listedViolations}; only listed ones become findings. List them with kubectl get ${constraint.constraintKind.toLowerCase()} ` +
      `${constraint.constraintName} -o yaml, or raise the audit's --constraint-violations-limit.`,
    productFields: {
      'flotilla/enforcementAction': constraint.enforcementAction,
      'flotilla/totalViolations': String(constraint.totalViolations),
      'flotilla/listedViolations': String(constraint.listedViolations),
    },
  });
}

/** The same finding, archived: the provider's way to close it (RecordState is a provider field). */
export function archivedFinding(finding: AsffFinding, updatedAt: string): AsffFinding {
  return { ...finding, RecordState: 'ARCHIVED', UpdatedAt: updatedAt };
}

/**
 * True when two findings say the same thing (times and record state aside): an unchanged violation is not
 * re-imported, so its UpdatedAt keeps meaning "last changed".
 */
export function sameContent(a: AsffFinding, b: AsffFinding): boolean {
  return contentKey(a) === contentKey(b);
}

function contentKey(f: AsffFinding): string {
  return JSON.stringify([f.Id, f.GeneratorId, f.Title, f.Description, f.Severity.Label, sortedEntries(f.ProductFields), f.Resources.map((r) => [r.Type, r.Id])]);
}

function sortedEntries(record: Record<string, string> | undefined): [string, string][] {
  // Only Flotilla's own keys: Security Hub adds `aws/securityhub/*` fields to what GetFindings returns.
  return Object.entries(record ?? {}).filter(([key]) => key.startsWith('flotilla/')).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

interface FindingParts {
  readonly id: string;
  readonly severity: SeverityLabel;
  readonly original: string;
  readonly title: string;
  readonly description: string;
  readonly productFields: Record<string, string>;
  readonly objectResource?: AsffResource;
}

function base(context: FindingContext, cluster: string, constraintKind: string, constraintName: string, times: FindingTimes, parts: FindingParts): AsffFinding {
  const clusterArn = eksClusterArn(context, cluster);
  const types = [FINDING_TYPE];
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: parts.id,
    ProductArn: productArn(context),
    GeneratorId: generatorId(context, cluster, constraintKind, constraintName),
    AwsAccountId: context.account,
    Region: context.region,
    Types: types,
    CreatedAt: times.createdAt,
    UpdatedAt: times.updatedAt,
    FirstObservedAt: times.firstObservedAt ?? times.createdAt,
    LastObservedAt: times.lastObservedAt ?? times.updatedAt,
    Severity: { Label: parts.severity, Normalized: SEVERITY_NORMALIZED[parts.severity], Original: parts.original },
    // Severity and Types of an existing finding change only through FindingProviderFields.
    FindingProviderFields: { Severity: { Label: parts.severity, Original: parts.original }, Types: types },
    Title: clip(parts.title, MAX_TITLE),
    Description: clip(parts.description, MAX_DESCRIPTION),
    ProductName: 'Flotilla',
    CompanyName: 'Flotilla',
    ProductFields: {
      'flotilla/source': context.source,
      'flotilla/cluster': cluster,
      'flotilla/constraintKind': constraintKind,
      'flotilla/constraintName': constraintName,
      ...parts.productFields,
    },
    Resources: [
      ...(parts.objectResource ? [parts.objectResource] : []),
      { Type: 'AwsEksCluster', Id: clusterArn, Partition: partitionOfRegion(context.region), Region: context.region, Details: { AwsEksCluster: { Name: context.eksClusterName ?? cluster } } },
    ],
    Workflow: { Status: 'NEW' },
    RecordState: 'ACTIVE',
  };
}

function clip(text: string, max: number): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length <= max ? single : `${single.slice(0, max - 1)}…`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
