import { apiGroupOf, type KubeObject } from '@flotilla/model';
import type { ResourceChange } from './render-diff';
import { isCrossplaneManaged, statefulReason } from './stateful';

/** A stateful object that goes away while one of the same kind appears in the same unit: a replacement. */
export interface Replacement {
  /** The removal (or rename) of the old object. */
  readonly removed: ResourceChange;
  /** The new object. */
  readonly created: KubeObject;
}

/**
 * Pairs the removed stateful objects of each unit (cluster + Kustomization) with the objects of the same
 * group and kind added there, in name order; a `renamed` change is a replacement by itself. Keyed by the
 * removal's `cluster/key`.
 */
export function findReplacements(changes: readonly ResourceChange[]): Map<string, Replacement> {
  const out = new Map<string, Replacement>();
  const unitKind = (change: ResourceChange) => `${change.cluster}\u0000${change.kustomization}\u0000${change.apiGroup}\u0000${change.kind}`;
  const added = new Map<string, ResourceChange[]>();
  for (const change of changes) {
    if (change.type !== 'added' || !change.head || !statefulReason(change.head)) continue;
    const list = added.get(unitKind(change)) ?? [];
    list.push(change);
    added.set(unitKind(change), list);
  }
  for (const change of changes) {
    if (!change.base || !statefulReason(change.base)) continue;
    if (change.type === 'renamed' && change.head) {
      out.set(`${change.cluster}/${change.key}`, { removed: change, created: change.head });
    } else if (change.type === 'removed') {
      const candidate = added.get(unitKind(change))?.shift();
      if (candidate?.head) out.set(`${change.cluster}/${change.key}`, { removed: change, created: candidate.head });
    }
  }
  return out;
}

/**
 * What a replacement does to the data, per kind: where the data stays (or that it is deleted),
 * that the new object starts empty, and what the workload now sees.
 */
export function replacementConsequence(old: KubeObject, created: KubeObject, retained: boolean): string {
  const before = old.metadata.name;
  const after = created.metadata.name;
  const fate = (what: string, where: string) =>
    retained ? `${what} ${before} is orphaned ${where} (retained)` : `${what} ${before} is deleted ${where} with its data`;
  const stays = (thing: string) => (retained ? `${thing} stays in ${before}` : `${thing} in ${before} is lost`);
  const group = apiGroupOf(old.apiVersion);
  const [lead, tail] = ((): [string, string] => {
    if (group === 'rds.services.k8s.aws' && old.kind === 'DBInstance') {
      return [fate('the RDS instance', 'in AWS'), `${stays('data')} and the app now points at an empty database`];
    }
    if (group === 'rds.services.k8s.aws' && old.kind === 'DBCluster') {
      return [fate('the RDS cluster', 'in AWS'), `${stays('data')} and the app now points at an empty database cluster`];
    }
    if (group === 's3.services.k8s.aws' && old.kind === 'Bucket') {
      return [fate('the S3 bucket', 'in AWS'), `${stays('every object')} and readers of ${after} find no objects`];
    }
    if (group === 'secretsmanager.services.k8s.aws' && old.kind === 'Secret') {
      return [fate('the Secrets Manager secret', 'in AWS'), `${stays('the secret value')} and consumers of ${after} get a new or no value`];
    }
    if (group === '' && old.kind === 'PersistentVolumeClaim') {
      return [
        retained
          ? `the claim ${before} is left in the cluster (retained)`
          : `the claim ${before} is deleted (with a Delete reclaim policy, its volume and data too)`,
        `${after} gets a new, empty volume and the pods that mount it start without the old data`,
      ];
    }
    if (group === '' && old.kind === 'Namespace') {
      return [
        retained ? `the namespace ${before} is left in the cluster (retained)` : `the namespace ${before} is deleted with every object in it`,
        `objects and volumes in ${before} are not moved to ${after}`,
      ];
    }
    if (isCrossplaneManaged(old)) {
      return [fate(`the external resource of ${old.kind}`, 'by Crossplane'), `${stays('data')} and ${after} manages a new, empty resource`];
    }
    return [fate(old.kind, 'in the cluster'), `${stays('data')}`];
  })();
  return `${lead} and ${after} is created empty; ${tail}`;
}
