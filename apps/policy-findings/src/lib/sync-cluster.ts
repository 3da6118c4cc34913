import { archivedFinding, generatorPrefix, productArn, sameContent, type AsffFinding, type FindingContext } from '@flotilla/policy-findings-contract';
import { desiredFindings } from './audit-findings';
import { clusterEndpoint } from './cluster-access';
import type { FindingsClients } from './clients';
import type { ClusterTarget } from '@flotilla/policy-findings-contract';
import { kubeConfigFor, readConstraints } from './constraints';
import { eksToken } from './eks-token';
import type { Logger } from './log';
import { activeFindings, importFindings, type ImportFailure, type ImportOptions } from './security-hub';

export interface ClusterSyncResult {
  readonly cluster: string;
  readonly constraints: number;
  /** New findings (no ACTIVE finding with that id before). */
  readonly created: number;
  /** Findings whose content changed (message, severity, …): re-imported, CreatedAt kept. */
  readonly updated: number;
  readonly unchanged: number;
  readonly archived: number;
  readonly failed: readonly ImportFailure[];
}

export interface SyncClusterProps {
  readonly target: ClusterTarget;
  readonly account: string;
  readonly region: string;
  readonly clients: FindingsClients;
  readonly log: Logger;
  /** @default - now */
  readonly now?: () => Date;
  readonly importOptions?: ImportOptions;
}

/**
 * One cluster: read every constraint's audit status, then make Security Hub's ACTIVE findings of this cluster
 * equal to it. New and changed violations are imported (CreatedAt kept for changed ones), unchanged ones are not
 * sent again (UpdatedAt stays "last changed"), and findings whose violation is gone are re-imported with
 * RecordState ARCHIVED. Constraints the audit has not reached yet keep their findings.
 */
export async function syncCluster(props: SyncClusterProps): Promise<ClusterSyncResult> {
  const { target, clients } = props;
  const now = (props.now ?? (() => new Date()))().toISOString();
  const context: FindingContext = { account: props.account, region: props.region, source: 'audit', eksClusterName: target.eksClusterName ?? target.name };
  const access = await clusterEndpoint(clients.eks, target);
  const token = await eksToken({ clusterName: context.eksClusterName!, region: props.region, credentials: clients.sts.config.credentials, sha256: clients.sts.config.sha256 });
  const constraints = await readConstraints(kubeConfigFor({ name: target.name, ...access, token }));
  const desired = desiredFindings(target.name, constraints, context, now);
  for (const problem of desired.problems) props.log.warn('constraint severity ignored', { problem });

  const existing = await activeFindings(clients.securityHub, productArn(context), generatorPrefix(context, target.name));
  const toImport: AsffFinding[] = [];
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (const [id, finding] of desired.findings) {
    const previous = existing.get(id);
    if (!previous) {
      created += 1;
      toImport.push(finding);
    } else if (sameContent(previous, finding)) {
      unchanged += 1;
    } else {
      updated += 1;
      toImport.push({ ...finding, CreatedAt: previous.CreatedAt, FirstObservedAt: previous.FirstObservedAt ?? previous.CreatedAt });
    }
  }
  let archived = 0;
  for (const [id, previous] of existing) {
    if (desired.findings.has(id) || desired.unaudited.has(previous.GeneratorId)) continue;
    archived += 1;
    toImport.push(archivedFinding(previous, now));
  }
  const result = toImport.length > 0 ? await importFindings(clients.securityHub, toImport, props.importOptions) : { failed: [] };
  return { cluster: target.name, constraints: constraints.length, created, updated, unchanged, archived, failed: result.failed };
}
