import * as kplus from 'cdk8s-plus-28';
import * as csi from '@flotilla/k8s-apis/secrets-store-csi';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { tenantLabels, type TeamRef } from './tenant-labels';
import { assertDnsLabel, WorkloadValidationError } from './validation-error';

/** The CSI driver that mounts a SecretProviderClass. */
export const SECRETS_STORE_CSI_DRIVER = 'secrets-store.csi.k8s.io';

/** A key of a JSON secret, mounted as its own file. */
export interface JmesPathEntry {
  /** JMESPath into the secret's JSON, e.g. `password`. */
  readonly path: string;
  /** File name in the mount. */
  readonly objectAlias: string;
}

/** One Secrets Manager secret mounted by the AWS provider (ASCP). */
export interface AwsSecretObject {
  /** Secret name or full ARN (use the ARN for secrets other services create, like RDS). */
  readonly objectName: string;
  /** File name of the whole secret. @default - derived by the provider from the name */
  readonly objectAlias?: string;
  /** Keys of a JSON secret to mount as separate files. @default - none */
  readonly jmesPath?: readonly JmesPathEntry[];
}

export interface AwsSecretsProviderClassProps {
  readonly team: TeamRef;
  /** Object name. A DNS label. */
  readonly name: string;
  readonly objects: readonly AwsSecretObject[];
  /** Region of the secrets. @default - the provider's region (the node's) */
  readonly region?: string;
  /**
   * Authenticate with EKS Pod Identity instead of IRSA. The provider uses the pod's ServiceAccount
   * either way, so that account's role must be allowed to read the secrets.
   *
   * @default false (IRSA)
   */
  readonly usePodIdentity?: boolean;
}

/**
 * A `secrets-store.csi.x-k8s.io/v1` SecretProviderClass for the AWS provider: the CSI driver
 * mounts the listed Secrets Manager secrets as read-only files using the pod's own identity.
 */
export class AwsSecretsProviderClass extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: AwsSecretsProviderClassProps) {
    super(scope, id);
    assertDnsLabel('name', props.name);
    if (props.objects.length === 0) {
      throw new WorkloadValidationError('workloads/secret-provider-class', `'objects' of '${props.name}' is empty; list the secrets to mount`);
    }
    for (const object of props.objects) {
      if (object.objectName.trim() === '') {
        throw new WorkloadValidationError('workloads/secret-provider-class', `'objects' of '${props.name}' has an empty 'objectName'; give the secret's name or ARN`);
      }
      for (const entry of object.jmesPath ?? []) {
        if (!/^[-._a-zA-Z0-9]+$/.test(entry.objectAlias)) {
          throw new WorkloadValidationError('workloads/secret-provider-class', `'jmesPath.objectAlias' ('${entry.objectAlias}') must be a file name (letters, digits, '-', '_', '.')`);
        }
      }
    }
    this.name = props.name;
    const objects = props.objects.map((o) => ({
      objectName: o.objectName,
      objectType: 'secretsmanager',
      ...(o.objectAlias ? { objectAlias: o.objectAlias } : {}),
      ...(o.jmesPath ? { jmesPath: o.jmesPath.map((e) => ({ path: e.path, objectAlias: e.objectAlias })) } : {}),
    }));
    new csi.SecretProviderClass(this, 'Resource', {
      metadata: { name: props.name, namespace: props.team.namespace, labels: { ...tenantLabels(props.team) } },
      spec: {
        provider: 'aws',
        parameters: {
          objects: stringify(objects),
          ...(props.region ? { region: props.region } : {}),
          ...(props.usePodIdentity ? { usePodIdentity: 'true' } : {}),
        },
      },
    });
  }

  /** A read-only CSI volume that mounts this class's secrets. */
  volume(scope: Construct, id: string, name = 'secrets'): kplus.Volume {
    return kplus.Volume.fromCsi(scope, id, SECRETS_STORE_CSI_DRIVER, { name, readOnly: true, attributes: { secretProviderClass: this.name } });
  }
}
