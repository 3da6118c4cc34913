import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k from '@flotilla/k8s-apis/karpenter';

/** AMI families Flotilla supports for Karpenter nodes, selected through an `amiSelectorTerms` alias. */
export enum AmiFamily {
  /** Amazon Linux 2023 (`al2023@<version>`), root volume `/dev/xvda`. */
  AL2023 = 'al2023',
  /** Bottlerocket (`bottlerocket@<version>`), OS volume `/dev/xvda` and data volume `/dev/xvdb`. */
  BOTTLEROCKET = 'bottlerocket',
}

/** What to do with the instance-store NVMe disks of types that have them. */
export enum InstanceStorePolicy {
  /** Stripe all instance-store disks into one RAID0 array and use it for kubelet, containerd and pod ephemeral storage. */
  RAID0 = 'RAID0',
}

/** EBS volume types Flotilla allows for node volumes. */
export enum EbsVolumeType {
  GP3 = 'gp3',
  IO2 = 'io2',
}

/** The volume that holds kubelet, containerd images and pod ephemeral storage. */
export interface NodeVolumeOptions {
  /** @default Size.gibibytes(50) */
  readonly size?: Size;
  /** @default EbsVolumeType.GP3 */
  readonly type?: EbsVolumeType;
  /** Provisioned IOPS (gp3: 3000–16000, io2: up to 256000). @default - the volume type's baseline */
  readonly iops?: number;
  /** gp3 throughput in MiB/s (125–1000). @default - 125 (the gp3 baseline) */
  readonly throughputMiBps?: number;
  /** KMS key for the volume encryption. @default - the account's default EBS key */
  readonly kmsKeyId?: string;
}

export interface Ec2NodeClassProps {
  /** `metadata.name`; NodePools reference the class by it. */
  readonly name: string;
  /** Tag (key and value) that marks the cluster's node subnets and security groups, usually `context.cluster.discoveryTag`. */
  readonly discoveryTag: { readonly key: string; readonly value: string };
  /** Name of the IAM role the nodes run as (Karpenter creates the instance profile for it). */
  readonly role: string;
  /** @default AmiFamily.AL2023 */
  readonly amiFamily?: AmiFamily;
  /**
   * AMI release of the family (`v20250505` for AL2023, `v1.37.0` for Bottlerocket). Pin it in
   * production: `latest` rolls every node (drift) whenever AWS publishes an AMI.
   *
   * @default 'latest'
   */
  readonly amiVersion?: string;
  /**
   * Set to RAID0 for nodes with instance-store NVMe (GPU and data nodes): the disks become the
   * ephemeral storage and the EBS data volume stays small.
   *
   * @default - instance-store disks are left unused
   */
  readonly instanceStorePolicy?: InstanceStorePolicy;
  /** @default - 50Gi gp3, encrypted, deleted with the instance */
  readonly volume?: NodeVolumeOptions;
  /**
   * Hop limit for IMDSv2 responses; 1 keeps pods from reaching the node's instance metadata (and
   * the node role's credentials). IMDSv2 is always required.
   *
   * @default 1
   */
  readonly metadataHopLimit?: number;
  /**
   * Tags on the instances, volumes, network interfaces and launch templates Karpenter creates
   * (e.g. `CostCenter`). Karpenter's own tags (`kubernetes.io/cluster/*`, `karpenter.sh/*`,
   * `karpenter.k8s.aws/ec2nodeclass`, `eks:eks-cluster-name`) are reserved.
   *
   * @default - none
   */
  readonly tags?: Record<string, string>;
  /**
   * User data Karpenter merges with its own (AL2023: a MIME multi-part document of NodeConfig
   * objects and shell scripts; Bottlerocket: TOML settings), e.g. `modelSyncUserData(...)`.
   *
   * @default - none (Karpenter's own bootstrap only)
   */
  readonly userData?: string;
}

const RESERVED_TAG = [/^kubernetes\.io\/cluster/, /^eks:eks-cluster-name$/, /^karpenter\.sh\/nodepool$/, /^karpenter\.sh\/nodeclaim$/, /^karpenter\.k8s\.aws\/ec2nodeclass$/];
const AMI_VERSION = /^(latest|v\d+(\.\d+)*)$/;
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A Karpenter `EC2NodeClass` (karpenter.k8s.aws/v1): AMI by alias, subnets and security groups by
 * the cluster's discovery tag, IMDSv2 required, an encrypted EBS data volume and optional RAID0 over
 * instance-store disks.
 */
export class Ec2NodeClass extends Construct {
  readonly name: string;
  readonly amiFamily: AmiFamily;
  readonly amiVersion: string;
  readonly instanceStorePolicy?: InstanceStorePolicy;
  readonly resource: k.Ec2NodeClass;

  constructor(scope: Construct, id: string, props: Ec2NodeClassProps) {
    super(scope, id);
    if (!NAME.test(props.name)) {
      throw new Error(`Ec2NodeClass name "${props.name}" is not a DNS label; use lowercase letters, digits and '-'`);
    }
    this.name = props.name;
    this.amiFamily = props.amiFamily ?? AmiFamily.AL2023;
    this.amiVersion = props.amiVersion ?? 'latest';
    this.instanceStorePolicy = props.instanceStorePolicy;
    if (!AMI_VERSION.test(this.amiVersion)) {
      throw new Error(`Ec2NodeClass "${props.name}": amiVersion "${this.amiVersion}" is not 'latest' or a release such as 'v20250505' (AL2023) or 'v1.37.0' (Bottlerocket)`);
    }
    if (!props.discoveryTag.key || !props.discoveryTag.value) {
      throw new Error(`Ec2NodeClass "${props.name}": discoveryTag needs a key and a value, got ${JSON.stringify(props.discoveryTag)}; pass the cluster's discoveryTag`);
    }
    if (!props.role) throw new Error(`Ec2NodeClass "${props.name}": role is empty; set the name of the node IAM role`);
    const hopLimit = props.metadataHopLimit ?? 1;
    if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 64) {
      throw new Error(`Ec2NodeClass "${props.name}": metadataHopLimit ${hopLimit} is out of range; use an integer from 1 to 64 (1 keeps pods away from the node's metadata)`);
    }
    for (const key of Object.keys(props.tags ?? {})) {
      if (!key || RESERVED_TAG.some((pattern) => pattern.test(key))) {
        throw new Error(`Ec2NodeClass "${props.name}": tag "${key}" is reserved for Karpenter; remove it from tags`);
      }
    }
    if (props.userData !== undefined && this.amiFamily === AmiFamily.AL2023 && !props.userData.startsWith('MIME-Version: 1.0')) {
      throw new Error(`Ec2NodeClass "${props.name}": AL2023 userData must be a MIME multi-part document (nodeadm's format) starting with 'MIME-Version: 1.0'; wrap the script, e.g. with modelSyncUserData()`);
    }
    const selector = { tags: { [props.discoveryTag.key]: props.discoveryTag.value } };

    this.resource = new k.Ec2NodeClass(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        amiSelectorTerms: [{ alias: `${this.amiFamily}@${this.amiVersion}` }],
        role: props.role,
        subnetSelectorTerms: [selector],
        securityGroupSelectorTerms: [selector],
        metadataOptions: {
          httpEndpoint: k.Ec2NodeClassSpecMetadataOptionsHttpEndpoint.ENABLED,
          httpProtocolIPv6: k.Ec2NodeClassSpecMetadataOptionsHttpProtocolIPv6.DISABLED,
          httpPutResponseHopLimit: hopLimit,
          httpTokens: k.Ec2NodeClassSpecMetadataOptionsHttpTokens.REQUIRED,
        },
        blockDeviceMappings: blockDevices(this.amiFamily, props.volume ?? {}, props.name),
        ...(this.instanceStorePolicy ? { instanceStorePolicy: k.Ec2NodeClassSpecInstanceStorePolicy.RAID0 } : {}),
        ...(props.tags && Object.keys(props.tags).length > 0 ? { tags: { ...props.tags } } : {}),
        ...(props.userData ? { userData: props.userData } : {}),
      },
    });
  }

  /** The `nodeClassRef` a NodePool uses to point at this class. */
  get ref(): { readonly group: string; readonly kind: string; readonly name: string } {
    return { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: this.name };
  }
}

function blockDevices(family: AmiFamily, volume: NodeVolumeOptions, name: string): k.Ec2NodeClassSpecBlockDeviceMappings[] {
  const type = volume.type ?? EbsVolumeType.GP3;
  if (volume.throughputMiBps !== undefined && type !== EbsVolumeType.GP3) {
    throw new Error(`Ec2NodeClass "${name}": volume.throughputMiBps applies to gp3 only, got volume type ${type}; remove throughputMiBps or use gp3`);
  }
  if (volume.throughputMiBps !== undefined && (volume.throughputMiBps < 125 || volume.throughputMiBps > 1000)) {
    throw new Error(`Ec2NodeClass "${name}": volume.throughputMiBps ${volume.throughputMiBps} is out of range; gp3 allows 125 to 1000`);
  }
  const data: k.Ec2NodeClassSpecBlockDeviceMappingsEbs = {
    volumeSize: (volume.size ?? Size.gibibytes(50)).asString(),
    volumeType: type === EbsVolumeType.GP3 ? k.Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType.GP3 : k.Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType.IO2,
    encrypted: true,
    deleteOnTermination: true,
    ...(volume.iops !== undefined ? { iops: volume.iops } : {}),
    ...(volume.throughputMiBps !== undefined ? { throughput: volume.throughputMiBps } : {}),
    ...(volume.kmsKeyId ? { kmsKeyId: volume.kmsKeyId } : {}),
  };
  if (family === AmiFamily.AL2023) return [{ deviceName: '/dev/xvda', rootVolume: true, ebs: data }];
  // Bottlerocket keeps the OS on a small /dev/xvda and kubelet/containerd on /dev/xvdb.
  return [
    {
      deviceName: '/dev/xvda',
      ebs: { volumeSize: '4Gi', volumeType: k.Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType.GP3, encrypted: true, deleteOnTermination: true, ...(volume.kmsKeyId ? { kmsKeyId: volume.kmsKeyId } : {}) },
    },
    { deviceName: '/dev/xvdb', rootVolume: true, ebs: data },
  ];
}
