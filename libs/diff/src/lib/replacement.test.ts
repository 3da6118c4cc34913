import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@flotilla/model';
import { dbInstance, diffUnits, namespace, type Unit } from '../testing';
import { ALLOW_DESTRUCTIVE, guardDiff } from './guard';
import { renderDiffMarkdown } from './report';
import { ACK_DELETION_POLICY, retentionOf } from './stateful';

function unit(objects: readonly KubeObject[], name = 'team-a-web'): Unit {
  return { layer: 'apps', name, objects, prune: true };
}

function diffOf(base: readonly KubeObject[], head: readonly KubeObject[]) {
  return diffUnits({ prod: [unit(base)] }, { prod: [unit(head)] });
}

const RETAIN = { [ACK_DELETION_POLICY]: 'retain' };

function ack(group: string, kind: string, name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: `${group}.services.k8s.aws/v1alpha1`,
    kind,
    metadata: { name, namespace: 'team-a', ...(annotations ? { annotations } : {}) },
    spec,
  };
}

function pvc(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'team-a' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
  };
}

function crossplaneBucket(name: string, spec: Record<string, unknown>, apiVersion = 's3.aws.upbound.io/v1beta1'): KubeObject {
  return { apiVersion, kind: 'Bucket', metadata: { name }, spec: { forProvider: { region: `eu-west-1-${name}` }, ...spec } };
}

describe('guard: replacements of stateful resources', () => {
  it('blocks the RDS rename web-db → web-database even though web-db is retained, saying the data stays in web-db', () => {
    // GIVEN team-a-web's retained database is renamed (the identifier changes with it, so a new instance is created)
    const diff = diffOf([dbInstance('team-a', 'web-db', { annotations: RETAIN })], [dbInstance('team-a', 'web-database', { annotations: RETAIN })]);

    const result = guardDiff(diff);

    // THEN it is a failure, not a "retained" note
    expect(result.notes).toEqual([]);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({
      code: 'guard/stateful-replaced',
      object: 'DBInstance team-a/web-db',
      message:
        'replaced by DBInstance web-database: the RDS instance web-db is orphaned in AWS (retained) and web-database is created empty; data stays in web-db and the app now points at an empty database',
      fix: `rename back to web-db, or migrate the data and then add ${ALLOW_DESTRUCTIVE}: "<reason>" to web-database`,
    });
    // AND the diff no longer labels the removal safe
    const markdown = renderDiffMarkdown(diff, result);
    expect(markdown).not.toContain('safe');
    expect(markdown).toContain(':x: **blocked**');
  });

  it('accepts the RDS rename when the new instance carries the reviewed opt-out, and rejects an empty reason', () => {
    const accepted = guardDiff(
      diffOf(
        [dbInstance('team-a', 'web-db', { annotations: RETAIN })],
        [dbInstance('team-a', 'web-database', { annotations: { ...RETAIN, [ALLOW_DESTRUCTIVE]: 'data migrated with pg_dump (CHG-42)' } })],
      ),
    );
    expect(accepted.failures).toEqual([]);
    expect(accepted.accepted.map((entry) => [entry.code, entry.acceptedReason])).toEqual([
      ['guard/stateful-replaced', 'data migrated with pg_dump (CHG-42)'],
    ]);

    const empty = guardDiff(
      diffOf([dbInstance('team-a', 'web-db')], [dbInstance('team-a', 'web-database', { annotations: { [ALLOW_DESTRUCTIVE]: ' ' } })]),
    );
    expect(empty.failures.map((entry) => entry.fix)).toEqual([
      `annotation ${ALLOW_DESTRUCTIVE} on web-database is empty: give the reason, e.g. "data migrated from web-db"`,
    ]);
  });

  it('says, per kind, what happens to the data: DBCluster, S3 Bucket, Secrets Manager Secret, PVC, Crossplane, Namespace', () => {
    const cases: Array<[KubeObject, KubeObject, string]> = [
      [
        ack('rds', 'DBCluster', 'web', { engine: 'aurora-postgresql', dbClusterIdentifier: 'web' }),
        ack('rds', 'DBCluster', 'web-v2', { engine: 'aurora-postgresql', dbClusterIdentifier: 'web-v2' }),
        'replaced by DBCluster web-v2: the RDS cluster web is deleted in AWS with its data and web-v2 is created empty; data in web is lost and the app now points at an empty database cluster',
      ],
      [
        ack('s3', 'Bucket', 'assets', { name: 'team-a-assets' }, RETAIN),
        ack('s3', 'Bucket', 'media', { name: 'team-a-media' }, RETAIN),
        'replaced by Bucket media: the S3 bucket assets is orphaned in AWS (retained) and media is created empty; every object stays in assets and readers of media find no objects',
      ],
      [
        ack('secretsmanager', 'Secret', 'api-key', { name: 'team-a/api-key' }),
        ack('secretsmanager', 'Secret', 'api-token', { name: 'team-a/api-token' }),
        'replaced by Secret api-token: the Secrets Manager secret api-key is deleted in AWS with its data and api-token is created empty; the secret value in api-key is lost and consumers of api-token get a new or no value',
      ],
      [
        pvc('data'),
        { ...pvc('data-v2'), spec: { ...(pvc('data').spec as Record<string, unknown>), storageClassName: 'gp3' } },
        'replaced by PersistentVolumeClaim data-v2: the claim data is deleted (with a Delete reclaim policy, its volume and data too) and data-v2 is created empty; data-v2 gets a new, empty volume and the pods that mount it start without the old data',
      ],
      [
        crossplaneBucket('logs', { deletionPolicy: 'Orphan' }),
        crossplaneBucket('logs-v2', { deletionPolicy: 'Orphan' }),
        'replaced by Bucket logs-v2: the external resource of Bucket logs is orphaned by Crossplane (retained) and logs-v2 is created empty; data stays in logs and logs-v2 manages a new, empty resource',
      ],
      [
        namespace('team-a'),
        namespace('team-a-web'),
        'renamed from Namespace team-a: the namespace team-a is deleted with every object in it and team-a-web is created empty; objects and volumes in team-a are not moved to team-a-web',
      ],
    ];
    for (const [before, after, message] of cases) {
      const result = guardDiff(diffOf([before], [after]));
      expect(result.failures.map((entry) => [entry.code, entry.message])).toEqual([['guard/stateful-replaced', message]]);
    }
  });

  it('does not call an unrelated addition of another kind, or in another unit, a replacement', () => {
    const otherKind = guardDiff(diffOf([dbInstance('team-a', 'web-db', { annotations: RETAIN })], [pvc('data')]));
    expect(otherKind.failures).toEqual([]);
    expect(otherKind.notes.map((entry) => entry.code)).toEqual(['guard/retained']);

    const otherUnit = guardDiff(
      diffUnits(
        { prod: [unit([dbInstance('team-a', 'web-db', { annotations: RETAIN })]), unit([], 'team-b-web')] },
        { prod: [unit([]), unit([dbInstance('team-b', 'web-database')], 'team-b-web')] },
      ),
    );
    expect(otherUnit.failures).toEqual([]);
  });

  it('blocks a forced change of an immutable field when re-creating deletes the data', () => {
    const before = ack('rds', 'DBInstance', 'web-db', { dbInstanceIdentifier: 'web-db', engine: 'postgres' }, { 'kustomize.toolkit.fluxcd.io/force': 'enabled' });
    const after = { ...before, spec: { dbInstanceIdentifier: 'web-db', engine: 'mysql' } };
    const result = guardDiff(diffOf([before], [after]), {
      transitionRules: () => [{ severity: 'error', code: 'cel/transition', path: 'spec.engine', message: 'Value is immutable once set' }],
    });
    expect(result.failures.map((entry) => [entry.code, entry.path, entry.message])).toEqual([
      [
        'guard/immutable-field',
        'spec.engine',
        'field spec.engine is immutable, the controller will reject this change (Value is immutable once set); with force Flux deletes and re-creates it: the ACK RDS controller deletes the DB instance and its data in AWS',
      ],
    ]);
  });
});

describe('retentionOf: Crossplane deletionPolicy and v2 managementPolicies', () => {
  const cases: Array<[string, Record<string, unknown>, string | undefined, string?]> = [
    ['defaults (Delete, all policies)', {}, undefined],
    ['deletionPolicy Orphan', { deletionPolicy: 'Orphan' }, 'Crossplane orphans the external resource (spec.deletionPolicy: Orphan)'],
    ['["*"] with deletionPolicy Delete', { managementPolicies: ['*'], deletionPolicy: 'Delete' }, undefined],
    ['["*"] with deletionPolicy Orphan', { managementPolicies: ['*'], deletionPolicy: 'Orphan' }, 'Crossplane orphans the external resource (spec.deletionPolicy: Orphan)'],
    ['["Observe"]', { managementPolicies: ['Observe'] }, 'Crossplane orphans the external resource (spec.managementPolicies ["Observe"] leaves out Delete)'],
    [
      'a list without Delete',
      { managementPolicies: ['Observe', 'Create', 'Update', 'LateInitialize'] },
      'Crossplane orphans the external resource (spec.managementPolicies ["Observe","Create","Update","LateInitialize"] leaves out Delete)',
    ],
    ['a v2 namespaced resource whose list includes Delete', { managementPolicies: ['Observe', 'Create', 'Delete'] }, undefined, 's3.aws.m.upbound.io/v1beta1'],
  ];
  for (const [name, spec, expected, apiVersion] of cases) {
    it(`${name}: ${expected ? 'retained' : 'deleted'}`, () => {
      expect(retentionOf(crossplaneBucket('logs', spec, apiVersion))).toBe(expected);
    });
  }

  it('fails when managementPolicies go from ["Observe"] to ["*"] with deletionPolicy Delete', () => {
    const result = guardDiff(
      diffOf([crossplaneBucket('logs', { managementPolicies: ['Observe'] })], [crossplaneBucket('logs', { managementPolicies: ['*'], deletionPolicy: 'Delete' })]),
    );
    expect(result.failures.map((entry) => [entry.code, entry.path, entry.message])).toEqual([
      ['guard/retention-weakened', 'spec.deletionPolicy', 'deletionPolicy switches from Orphan to Delete, so deleting the object deletes the external resource'],
    ]);
  });
});
