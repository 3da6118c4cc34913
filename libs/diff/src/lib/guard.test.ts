import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@flotilla/model';
import { dbInstance, deployment, diffUnits, namespace, type Unit } from '../testing';
import { ALLOW_DESTRUCTIVE, formatGuardEntry, guardDiff, guardFindings, type GuardOptions } from './guard';
import { ACK_DELETION_POLICY } from './stateful';

function unit(objects: readonly KubeObject[], name = 'orders-db', prune = true): Unit {
  return { layer: 'infra-configs', name, objects, prune };
}

function guardOf(baseUnits: readonly Unit[], headUnits: readonly Unit[], options?: GuardOptions) {
  return guardDiff(diffUnits({ prod: baseUnits }, { prod: headUnits }), options);
}

const ordersDb = dbInstance('orders', 'orders');

describe('guardDiff', () => {
  it('fails if an ACK DBInstance is removed, naming the resource and the reason', () => {
    // GIVEN the base renders the orders database, and the head no longer does
    const result = guardOf([unit([namespace('orders'), ordersDb])], [unit([namespace('orders')])]);

    // THEN the guard fails on exactly that object
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({
      code: 'guard/stateful-removed',
      cluster: 'prod',
      kustomization: 'flux-system/orders-db',
      object: 'DBInstance orders/orders',
      apiGroup: 'rds.services.k8s.aws',
      file: 'clusters/prod/infra-configs/orders-db/DBInstance.rds.services.k8s.aws_orders_orders.yaml',
      message: 'removed: the ACK RDS controller deletes the DB instance and its data in AWS',
    });
    expect(formatGuardEntry(result.failures[0])).toMatch(
      /^prod: DBInstance orders\/orders \(Kustomization flux-system\/orders-db\): removed: the ACK RDS controller deletes the DB instance and its data in AWS \(to keep it, first merge a change that sets a retain policy/,
    );
  });

  it('fails if a Namespace, a PersistentVolumeClaim or a CRD is removed', () => {
    const pvc: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'orders' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    };
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com' },
    };
    const result = guardOf([unit([namespace('orders'), pvc, crd])], [unit([])]);

    // ordered by identity key: core group first
    expect(result.failures.map((entry) => [entry.object, entry.message])).toEqual([
      ['Namespace orders', 'removed: Kubernetes deletes the namespace and every object in it'],
      [
        'PersistentVolumeClaim orders/data',
        'removed: Kubernetes deletes the claim, and with a Delete reclaim policy the volume and its data',
      ],
      ['CustomResourceDefinition widgets.example.com', 'removed: Kubernetes deletes every custom resource of this type'],
    ]);
  });

  it('fails if an ACK SQS Queue that is not retained is removed (its messages are lost), and notes a retained one', () => {
    const queue = (name: string, policy?: string): KubeObject => ({
      apiVersion: 'sqs.services.k8s.aws/v1alpha1',
      kind: 'Queue',
      metadata: { name, namespace: 'karpenter', ...(policy ? { annotations: { [ACK_DELETION_POLICY]: policy } } : {}) },
      spec: { queueName: `prod-${name}` },
    });
    const result = guardOf([unit([queue('deleted'), queue('interruption', 'retain')])], [unit([])]);
    expect(result.failures.map((entry) => [entry.object, entry.message])).toEqual([['Queue karpenter/deleted', 'removed: the ACK SQS controller deletes the queue and the messages in it in AWS']]);
    expect(result.notes.map((entry) => entry.object)).toEqual(['Queue karpenter/interruption']);
  });

  it('fails if an AMP Workspace that is not retained is removed (its samples are lost), and notes a retained one', () => {
    const workspace = (name: string, policy?: string): KubeObject => ({
      apiVersion: 'prometheusservice.services.k8s.aws/v1alpha1',
      kind: 'Workspace',
      metadata: { name, namespace: 'metrics', ...(policy ? { annotations: { [ACK_DELETION_POLICY]: policy } } : {}) },
      spec: { alias: `prod-${name}` },
    });
    const result = guardOf([unit([workspace('deleted'), workspace('platform', 'retain')])], [unit([])]);
    expect(result.failures.map((entry) => [entry.object, entry.message])).toEqual([['Workspace metrics/deleted', 'removed: the ACK prometheusservice controller deletes the AMP workspace and every sample in it in AWS']]);
    expect(result.notes.map((entry) => entry.object)).toEqual(['Workspace metrics/platform']);
  });

  it('passes a removed Deployment: it holds no state', () => {
    const result = guardOf([unit([deployment('orders', 'api')])], [unit([])]);

    expect(result).toEqual({ failures: [], accepted: [], notes: [] });
  });

  it('notes, but does not fail, the removal of an ACK object with deletion-policy retain', () => {
    const retained = dbInstance('orders', 'orders', { annotations: { [ACK_DELETION_POLICY]: 'retain' } });
    const result = guardOf([unit([retained])], [unit([])]);

    expect(result.failures).toEqual([]);
    expect(result.notes.map((entry) => [entry.code, entry.message])).toEqual([
      ['guard/retained', 'removed; the AWS resource is retained (annotation services.k8s.aws/deletion-policy: retain)'],
    ]);
  });

  it('reads the ACK deletion policy from the base Namespace too', () => {
    const ns = namespace('orders', { 'rds.services.k8s.aws/deletion-policy': 'retain' });
    const result = guardOf([unit([ns]), unit([ordersDb], 'orders-data')], [unit([ns])]);

    expect(result.failures).toEqual([]);
    expect(result.notes[0].message).toBe(
      'removed; the AWS resource is retained (Namespace annotation rds.services.k8s.aws/deletion-policy: retain)',
    );
  });

  it('notes the removal when the Flux Kustomization does not prune', () => {
    const result = guardOf([unit([ordersDb], 'orders-db', false)], [unit([], 'orders-db', false)]);

    expect(result.failures).toEqual([]);
    expect(result.notes[0].message).toBe('removed; its Flux Kustomization has prune: false, so Flux leaves it in the cluster');
  });

  it('fails if a Crossplane managed resource without deletionPolicy Orphan is removed, and notes an orphaned one', () => {
    const role = (name: string, deletionPolicy?: string): KubeObject => ({
      apiVersion: 'iam.aws.upbound.io/v1beta1',
      kind: 'Role',
      metadata: { name },
      spec: { ...(deletionPolicy ? { deletionPolicy } : {}), forProvider: { assumeRolePolicy: '{}' } },
    });
    const result = guardOf([unit([role('deleted'), role('orphaned', 'Orphan')])], [unit([])]);

    expect(result.failures.map((entry) => [entry.object, entry.message])).toEqual([
      ['Role deleted', 'removed: Crossplane deletes the external resource in AWS'],
    ]);
    expect(result.notes.map((entry) => entry.object)).toEqual(['Role orphaned']);
  });

  it('fails if a stateful object is renamed (identical content): the old one is deleted and the new one starts empty', () => {
    const renamed = dbInstance('orders', 'orders-v2');
    // Same spec except the name-derived identifier would make it a plain add; keep content identical.
    const result = guardOf([unit([ordersDb])], [unit([{ ...renamed, spec: ordersDb.spec }])]);

    expect(result.failures).toMatchObject([
      {
        code: 'guard/stateful-replaced',
        object: 'DBInstance orders/orders-v2',
        message:
          'renamed from DBInstance orders/orders: the RDS instance orders is deleted in AWS with its data and orders-v2 is created empty; data in orders is lost and the app now points at an empty database',
      },
    ]);
  });

  it('fails if a stateful object moves to another Flux Kustomization, which may prune it first', () => {
    const result = guardOf([unit([ordersDb], 'orders-db')], [unit([], 'orders-db'), unit([ordersDb], 'databases')]);

    expect(result.failures).toMatchObject([
      {
        code: 'guard/stateful-moved',
        kustomization: 'flux-system/databases',
        message:
          'moves from Kustomization flux-system/orders-db to flux-system/databases; if the old one reconciles first it prunes the object: the ACK RDS controller deletes the DB instance and its data in AWS',
      },
    ]);
  });

  it('fails if the ACK deletion policy switches from retain to delete', () => {
    const retained = dbInstance('orders', 'orders', { annotations: { [ACK_DELETION_POLICY]: 'retain' } });
    const deleting = dbInstance('orders', 'orders', { annotations: { [ACK_DELETION_POLICY]: 'delete' } });
    const dropped = dbInstance('orders', 'orders');

    const switched = guardOf([unit([retained])], [unit([deleting])]);
    const removed = guardOf([unit([retained])], [unit([dropped])]);

    expect(switched.failures).toMatchObject([
      {
        code: 'guard/retention-weakened',
        object: 'DBInstance orders/orders',
        path: 'metadata.annotations["services.k8s.aws/deletion-policy"]',
        message: 'deletion policy switches from retain to delete, so deleting the object deletes the AWS resource',
      },
    ]);
    expect(removed.failures[0].message).toBe(
      'deletion policy annotation services.k8s.aws/deletion-policy: retain is removed, so deleting the object deletes the AWS resource (the controller default is delete)',
    );
  });

  it('fails if a Crossplane deletionPolicy switches from Orphan to Delete or a PV from Retain to Delete', () => {
    const bucket = (deletionPolicy: string): KubeObject => ({
      apiVersion: 's3.aws.upbound.io/v1beta1',
      kind: 'Bucket',
      metadata: { name: 'logs' },
      spec: { deletionPolicy, forProvider: { region: 'eu-west-1' } },
    });
    const pv = (policy: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-1' },
      spec: { persistentVolumeReclaimPolicy: policy, capacity: { storage: '1Gi' } },
    });
    const result = guardOf([unit([bucket('Orphan'), pv('Retain')])], [unit([bucket('Delete'), pv('Delete')])]);

    expect(result.failures.map((entry) => [entry.object, entry.path, entry.message])).toEqual([
      [
        'PersistentVolume pv-1',
        'spec.persistentVolumeReclaimPolicy',
        'persistentVolumeReclaimPolicy switches from Retain to Delete, so releasing the claim erases the volume',
      ],
      ['Bucket logs', 'spec.deletionPolicy', 'deletionPolicy switches from Orphan to Delete, so deleting the object deletes the external resource'],
    ]);
  });

  it('fails if an immutable field changes, per the real ACK DBInstance CRD transition rule (@flotilla/validate)', () => {
    // The pinned CRD: spec.availabilityZone has `x-kubernetes-validations: [{rule: self == oldSelf}]`.
    const moved = dbInstance('orders', 'orders', { availabilityZone: 'eu-west-1b', instanceClass: 'db.r7g.large' });

    const result = guardOf([unit([ordersDb])], [unit([moved])]);

    // Only the availability zone is immutable; the instance class may change.
    expect(result.failures).toMatchObject([
      {
        code: 'guard/immutable-field',
        object: 'DBInstance orders/orders',
        path: 'spec.availabilityZone',
        message: 'field spec.availabilityZone is immutable, the controller will reject this change: Value is immutable once set',
      },
    ]);
  });

  it('fails if an ACK Bucket is given another name, and uses an injected checker instead of the default when given', () => {
    const bucket = (name: string): KubeObject => ({
      apiVersion: 's3.services.k8s.aws/v1alpha1',
      kind: 'Bucket',
      metadata: { name: 'logs', namespace: 'shop' },
      spec: { name },
    });

    const real = guardOf([unit([bucket('acme-logs')])], [unit([bucket('acme-logs-2')])]);
    const injected = guardOf([unit([bucket('acme-logs')])], [unit([bucket('acme-logs-2')])], { transitionRules: () => [] });

    expect(real.failures.map((entry) => [entry.object, entry.path])).toEqual([['Bucket shop/logs', 'spec.name']]);
    expect(injected.failures).toEqual([]);
  });

  it('fails if a built-in immutable field changes (Deployment selector), and notes it when Flux may force a re-create', () => {
    const web = deployment('shop', 'web');
    const relabelled = (annotations?: Record<string, string>): KubeObject => ({
      ...web,
      metadata: { ...web.metadata, ...(annotations ? { annotations } : {}) },
      spec: { ...(web.spec as object), selector: { matchLabels: { app: 'shop-web' } } },
    });

    const plain = guardOf([unit([web], 'shop')], [unit([relabelled()], 'shop')]);
    const forced = guardOf([unit([web], 'shop')], [unit([relabelled({ 'kustomize.toolkit.fluxcd.io/force': 'enabled' })], 'shop')]);

    expect(plain.failures).toMatchObject([
      {
        code: 'guard/immutable-field',
        object: 'Deployment shop/web',
        path: 'spec.selector',
        message: 'field spec.selector is immutable, the API server will reject this change',
      },
    ]);
    expect(forced.failures).toEqual([]);
    expect(forced.notes.map((entry) => entry.message)).toEqual([
      'field spec.selector is immutable, the API server will reject this change; Flux re-creates it (force)',
    ]);
  });

  it('fails if forcing a re-create would delete state (PVC storage class change with force)', () => {
    const pvc = (storageClassName: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'orders', annotations: { 'kustomize.toolkit.fluxcd.io/force': 'enabled' } },
      spec: { storageClassName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    });

    const result = guardOf([unit([pvc('gp2')])], [unit([pvc('gp3')])]);

    expect(result.failures.map((entry) => entry.message)).toEqual([
      'field spec.storageClassName is immutable, the API server will reject this change; with force Flux deletes and re-creates it: Kubernetes deletes the claim, and with a Delete reclaim policy the volume and its data',
    ]);
  });

  it('notes a transition checker that throws instead of failing the guard, once per distinct error', () => {
    const bigger = (name: string) => dbInstance('orders', name, { instanceClass: 'db.r7g.large' });
    const result = guardOf([unit([ordersDb, dbInstance('orders', 'audit')])], [unit([bigger('orders'), bigger('audit')])], {
      transitionRules: () => {
        throw new Error('no CRD for DBInstance');
      },
    });

    expect(result.failures).toEqual([]);
    expect(result.notes.map((entry) => entry.message)).toEqual(['transition rules could not be checked: no CRD for DBInstance']);
  });

  describe(`opt-out annotation ${ALLOW_DESTRUCTIVE}`, () => {
    it('accepts the removal when the base version carries the annotation, keeping the reason', () => {
      const accepted = dbInstance('orders', 'orders', { annotations: { [ALLOW_DESTRUCTIVE]: 'orders moved to Aurora (PLAT-42)' } });

      const result = guardOf([unit([accepted])], [unit([])]);

      expect(result.failures).toEqual([]);
      expect(result.accepted).toMatchObject([
        { code: 'guard/stateful-removed', object: 'DBInstance orders/orders', acceptedReason: 'orders moved to Aurora (PLAT-42)' },
      ]);
      expect(guardFindings(result)).toMatchObject([
        { severity: 'warning', code: 'guard/stateful-removed', message: expect.stringContaining('(accepted: orders moved to Aurora (PLAT-42))') },
      ]);
    });

    it('accepts a retain → delete switch when the head version carries the annotation', () => {
      const retained = dbInstance('orders', 'orders', { annotations: { [ACK_DELETION_POLICY]: 'retain' } });
      const deleting = dbInstance('orders', 'orders', {
        annotations: { [ACK_DELETION_POLICY]: 'delete', [ALLOW_DESTRUCTIVE]: 'scratch database' },
      });

      const result = guardOf([unit([retained])], [unit([deleting])]);

      expect(result.failures).toEqual([]);
      expect(result.accepted.map((entry) => [entry.code, entry.acceptedReason])).toEqual([['guard/retention-weakened', 'scratch database']]);
    });

    it('fails if the annotation only appears in the head of a removal (it must be merged first)', () => {
      // A removed object has no head version, so an annotation added in the same change cannot exist.
      const result = guardOf([unit([ordersDb])], [unit([])]);

      expect(result.accepted).toEqual([]);
      expect(result.failures).toHaveLength(1);
    });

    it('fails if the annotation is empty, asking for a reason', () => {
      const empty = dbInstance('orders', 'orders', { annotations: { [ALLOW_DESTRUCTIVE]: ' ' } });

      const result = guardOf([unit([empty])], [unit([])]);

      expect(result.failures[0].fix).toBe(
        `annotation ${ALLOW_DESTRUCTIVE} is empty: give the reason, e.g. "${ALLOW_DESTRUCTIVE}: replaced by orders-v2"`,
      );
    });
  });
});
