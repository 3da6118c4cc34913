import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as ackCommon from '@flotilla/k8s-apis/ack-common';
import * as rds from '@flotilla/k8s-apis/ack-rds';
import { Construct } from 'constructs';
import { RemovalPolicy, ackDeletionPolicy } from '@flotilla/constructs';
import type { PolicyStatement } from '@flotilla/model';
import { mebibytesOf } from './quantities';
import { tenantLabels, type TeamRef } from './tenant-labels';
import { assertDnsLabel, assertIntegerInRange, WorkloadValidationError } from './validation-error';

export interface PostgresInstanceProps {
  readonly team: TeamRef;
  /** Kubernetes object name of the DBInstance and DBSubnetGroup. A DNS label. */
  readonly name: string;
  /** The cluster's AWS account and region (for the instance and secret ARNs). */
  readonly account: string;
  readonly region: string;
  /** RDS instance identifier (immutable). @default - `<namespace>-<name>` */
  readonly instanceIdentifier?: string;
  /** Instance class, e.g. `db.t4g.micro`. */
  readonly instanceClass: string;
  /** PostgreSQL version, e.g. `17.6`. */
  readonly engineVersion: string;
  /** Initial storage (whole GiB, at least 20). */
  readonly allocatedStorage: Size;
  /** Storage autoscaling ceiling. @default - no autoscaling */
  readonly maxAllocatedStorage?: Size;
  /** Private subnets of the DB subnet group (at least two AZs). */
  readonly subnetIds: readonly string[];
  /** Security groups that admit the cluster's pods on 5432. */
  readonly securityGroupIds: readonly string[];
  /** @default false */
  readonly multiAz?: boolean;
  /** Initial database. @default - the name with '-' replaced by '_' */
  readonly databaseName?: string;
  /** @default 'app' */
  readonly masterUsername?: string;
  /**
   * Delete without a final snapshot. Set it per cluster (true only where data is disposable);
   * the ACK controller's own default is to skip.
   *
   * @default false
   */
  readonly skipFinalSnapshot?: boolean;
  /** Refuse deletion in RDS itself. @default true */
  readonly deletionProtection?: boolean;
  /** Days of automated backups (0-35). @default 7 */
  readonly backupRetentionDays?: number;
  /**
   * ARN of the master-user secret RDS created (`status.masterUserSecret.secretARN`, exported to the
   * ConfigMap `<name>-outputs` by a FieldExport). RDS names it `rds!db-<uuid>` only at creation, so
   * it is unknown on the first deploy.
   *
   * @default - unknown: read grants match the secret by its RDS tag instead
   */
  readonly masterUserSecretArn?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:rds!db-[-a-f0-9]+-[A-Za-z0-9]{6}$/;

/**
 * A PostgreSQL RDS instance through ACK (`rds.services.k8s.aws/v1alpha1` DBInstance and
 * DBSubnetGroup), with the master password managed by RDS in Secrets Manager
 * (`manageMasterUserPassword: true`), encrypted storage, no public access, and a FieldExport that
 * copies the generated secret's ARN and the endpoint into the ConfigMap `<name>-outputs`.
 *
 * @stateful retained by default: `services.k8s.aws/deletion-policy: retain`.
 */
export class PostgresInstance extends Construct {
  readonly instanceIdentifier: string;
  readonly instanceArn: string;
  readonly removalPolicy: RemovalPolicy;
  readonly skipFinalSnapshot: boolean;
  readonly masterUserSecretArn?: string;
  /** ConfigMap the FieldExports write `masterUserSecretArn` and `endpoint` into. */
  readonly outputsConfigMapName: string;

  constructor(scope: Construct, id: string, props: PostgresInstanceProps) {
    super(scope, id);
    const { team } = props;
    assertDnsLabel('name', props.name, 50);
    this.instanceIdentifier = props.instanceIdentifier ?? `${team.namespace}-${props.name}`;
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(this.instanceIdentifier) || this.instanceIdentifier.length > 63) {
      throw new WorkloadValidationError(
        'workloads/postgres',
        `'instanceIdentifier' ('${this.instanceIdentifier}') must start with a letter, use lowercase letters, digits and single '-', and be at most 63 characters`,
      );
    }
    if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(props.instanceClass)) {
      throw new WorkloadValidationError('workloads/postgres', `'instanceClass' ('${props.instanceClass}') must look like 'db.t4g.micro'`);
    }
    if (!/^\d+(\.\d+)?$/.test(props.engineVersion)) {
      throw new WorkloadValidationError('workloads/postgres', `'engineVersion' ('${props.engineVersion}') must be a PostgreSQL version such as '17.6'`);
    }
    const storageGiB = mebibytesOf(props.allocatedStorage) / 1024;
    if (!Number.isInteger(storageGiB) || storageGiB < 20 || storageGiB > 65536) {
      throw new WorkloadValidationError('workloads/postgres', `'allocatedStorage' (${storageGiB} GiB) must be a whole number of GiB from 20 to 65536`);
    }
    const maxGiB = props.maxAllocatedStorage ? mebibytesOf(props.maxAllocatedStorage) / 1024 : undefined;
    if (maxGiB !== undefined && (!Number.isInteger(maxGiB) || maxGiB <= storageGiB)) {
      throw new WorkloadValidationError('workloads/postgres', `'maxAllocatedStorage' (${maxGiB} GiB) must be whole GiB above 'allocatedStorage' (${storageGiB} GiB)`);
    }
    const subnets = new Set(props.subnetIds);
    if (subnets.size < 2 || [...subnets].some((s) => !/^subnet-[0-9a-f]{8,17}$/.test(s))) {
      throw new WorkloadValidationError('workloads/postgres', `'subnetIds' (${JSON.stringify(props.subnetIds)}) must list at least two distinct subnet ids ('subnet-…') in different AZs`);
    }
    if (props.securityGroupIds.length === 0 || props.securityGroupIds.some((s) => !/^sg-[0-9a-f]{8,17}$/.test(s))) {
      throw new WorkloadValidationError('workloads/postgres', `'securityGroupIds' (${JSON.stringify(props.securityGroupIds)}) must list security group ids ('sg-…')`);
    }
    const backupDays = props.backupRetentionDays ?? 7;
    assertIntegerInRange('backupRetentionDays', backupDays, 0, 35);
    const dbName = props.databaseName ?? props.name.replace(/-/g, '_');
    if (!/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(dbName)) {
      throw new WorkloadValidationError('workloads/postgres', `'databaseName' ('${dbName}') must start with a letter and use letters, digits and '_' (at most 63)`);
    }
    const username = props.masterUsername ?? 'app';
    if (!/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(username) || ['postgres', 'rdsadmin', 'admin'].includes(username)) {
      throw new WorkloadValidationError('workloads/postgres', `'masterUsername' ('${username}') must start with a letter, use letters, digits and '_', and not be a reserved name`);
    }
    if (props.masterUserSecretArn !== undefined && !SECRET_ARN.test(props.masterUserSecretArn)) {
      throw new WorkloadValidationError(
        'workloads/postgres',
        `'masterUserSecretArn' ('${props.masterUserSecretArn}') must be the RDS-managed secret ARN, 'arn:aws:secretsmanager:<region>:<account>:secret:rds!db-<uuid>-<6 chars>'; copy it from the ConfigMap '${props.name}-outputs'`,
      );
    }
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.skipFinalSnapshot = props.skipFinalSnapshot ?? false;
    this.masterUserSecretArn = props.masterUserSecretArn;
    this.instanceArn = `arn:aws:rds:${props.region}:${props.account}:db:${this.instanceIdentifier}`;
    this.outputsConfigMapName = `${props.name}-outputs`;

    const labels = { ...tenantLabels(team) };
    const tags = [
      { key: 'team', value: team.name },
      { key: 'cost-center', value: team.costCenter },
    ];
    const deletionPolicy = ackDeletionPolicy(this.removalPolicy);

    new rds.DbSubnetGroup(this, 'SubnetGroup', {
      metadata: { name: props.name, namespace: team.namespace, labels, annotations: deletionPolicy },
      spec: { name: this.instanceIdentifier, description: `${team.namespace}/${props.name} PostgreSQL`, subnetIDs: [...subnets], tags },
    });

    new rds.DbInstance(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: team.namespace,
        labels,
        annotations: {
          ...deletionPolicy,
          'rds.services.k8s.aws/skip-final-snapshot': String(this.skipFinalSnapshot),
          ...(this.skipFinalSnapshot ? {} : { 'rds.services.k8s.aws/final-db-snapshot-identifier': `${this.instanceIdentifier}-final` }),
        },
      },
      spec: {
        dbInstanceIdentifier: this.instanceIdentifier,
        dbInstanceClass: props.instanceClass,
        engine: 'postgres',
        engineVersion: props.engineVersion,
        dbName,
        masterUsername: username,
        manageMasterUserPassword: true,
        allocatedStorage: storageGiB,
        ...(maxGiB !== undefined ? { maxAllocatedStorage: maxGiB } : {}),
        storageType: 'gp3',
        storageEncrypted: true,
        publiclyAccessible: false,
        multiAz: props.multiAz ?? false,
        deletionProtection: props.deletionProtection ?? true,
        backupRetentionPeriod: backupDays,
        copyTagsToSnapshot: true,
        dbSubnetGroupRef: { from: { name: props.name } },
        vpcSecurityGroupIDs: [...props.securityGroupIds],
        tags,
      },
    });

    // FieldExport writes into an existing object; Flux owns only this empty map's metadata.
    new kplus.ConfigMap(this, 'Outputs', { metadata: { name: this.outputsConfigMapName, namespace: team.namespace, labels } });
    const exports: [string, string, string][] = [
      ['SecretArn', '.status.masterUserSecret.secretARN', 'masterUserSecretArn'],
      ['Endpoint', '.status.endpoint.address', 'endpoint'],
    ];
    for (const [idSuffix, path, key] of exports) {
      new ackCommon.FieldExport(this, `Export${idSuffix}`, {
        metadata: { name: `${props.name}-${key.toLowerCase()}`, namespace: team.namespace, labels },
        spec: {
          from: { path, resource: { group: 'rds.services.k8s.aws', kind: 'DBInstance', name: props.name } },
          to: { kind: ackCommon.FieldExportSpecToKind.CONFIGMAP, name: this.outputsConfigMapName, namespace: team.namespace, key },
        },
      });
    }
  }

  /**
   * Read access to exactly this instance's master-user secret: the ARN when known, otherwise the
   * RDS-managed secrets (`rds!db-*`) carrying this instance's `aws:rds:primaryDBInstanceArn` tag.
   */
  masterSecretReadStatement(): PolicyStatement {
    const actions = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
    if (this.masterUserSecretArn) return { actions, resources: [this.masterUserSecretArn] };
    const [, partition, , region, account] = this.instanceArn.split(':');
    return {
      actions,
      resources: [`arn:${partition}:secretsmanager:${region}:${account}:secret:rds!db-*`],
      conditions: { StringEquals: { 'secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn': this.instanceArn } },
    };
  }
}
