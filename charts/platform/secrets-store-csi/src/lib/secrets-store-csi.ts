import { Duration, goDuration, type Unit, unitCallSite } from '@flotilla/config';
import { HelmAddon, VERSIONS, checkTolerations, type NodeToleration } from '@flotilla/constructs';

export const SECRETS_STORE_CSI_PROJECT = 'secrets-store-csi';
/** Node plugins (DaemonSets) run in kube-system, as upstream and the AWS docs install them. */
export const SECRETS_STORE_CSI_NAMESPACE = 'kube-system';

export interface SecretsStoreCsiProps {
  /**
   * Also sync mounted secrets into Kubernetes Secrets (`secretObjects` in a SecretProviderClass).
   * Off by default: mounted files only, no Secret objects holding AWS secret values.
   *
   * @default false
   */
  readonly syncSecrets?: boolean;
  /** How often mounted secrets are re-read from AWS. @default Duration.minutes(2) */
  readonly rotationPollInterval?: Duration;
  /** klog verbosity of the driver. @default 0 */
  readonly logVerbosity?: number;
  /**
   * Taints the AWS provider's node DaemonSet tolerates (its chart tolerates none; the driver's
   * chart tolerates every taint). A pod mounting secrets can only run where both run, so list the
   * taints of every pool such pods use, e.g. `[GPU_TAINT_TOLERATION]`.
   *
   * @default - none
   */
  readonly providerTolerations?: readonly NodeToleration[];
}

/** The values this project sets on chart `secrets-store-csi-driver` 1.6.0. */
export interface SecretsStoreCsiDriverValues {
  readonly syncSecret: { readonly enabled: boolean };
  readonly enableSecretRotation: boolean;
  readonly rotationPollInterval: string;
  readonly logVerbosity: number;
}

/** The values this project sets on chart `secrets-store-csi-driver-provider-aws` (ASCP). */
export interface AwsProviderValues {
  /** ASCP can pull the driver in as a subchart; the driver is its own release here. */
  readonly 'secrets-store-csi-driver': { readonly install: boolean };
  readonly tolerations?: readonly NodeToleration[];
}

/**
 * The Secrets Store CSI driver plus the AWS provider (ASCP), one unit in `infra-controllers`.
 * ASCP needs no role of its own: it fetches secrets with the credentials of the pod that mounts
 * them (IRSA or Pod Identity, `usePodIdentity: "true"` in the SecretProviderClass).
 */
export function secretsStoreCsi(props: SecretsStoreCsiProps = {}): Unit {
  const pollSeconds = (props.rotationPollInterval ?? Duration.minutes(2)).toSeconds();
  const verbosity = props.logVerbosity ?? 0;
  checkTolerations('secretsStoreCsi providerTolerations', props.providerTolerations ?? []);
  if (pollSeconds < 30) throw new Error(`secretsStoreCsi rotationPollInterval is ${pollSeconds}s; use at least 30 seconds (every poll calls Secrets Manager for every mount)`);
  if (!Number.isInteger(verbosity) || verbosity < 0 || verbosity > 10) throw new Error(`secretsStoreCsi logVerbosity is ${verbosity}; use a whole number from 0 to 10`);
  return {
    name: SECRETS_STORE_CSI_PROJECT,
    project: SECRETS_STORE_CSI_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    render(scope) {
      const driver = new HelmAddon<SecretsStoreCsiDriverValues>(scope, 'Driver', {
        name: 'secrets-store-csi-driver',
        namespace: SECRETS_STORE_CSI_NAMESPACE,
        createNamespace: false,
        chart: VERSIONS.secretsStoreCsi,
        installsCrds: ['secrets-store.csi.x-k8s.io'],
        values: {
          syncSecret: { enabled: props.syncSecrets ?? false },
          enableSecretRotation: true,
          rotationPollInterval: goDuration(Duration.seconds(pollSeconds)),
          logVerbosity: verbosity,
        },
      });
      new HelmAddon<AwsProviderValues>(scope, 'AwsProvider', {
        name: 'secrets-store-csi-driver-provider-aws',
        namespace: SECRETS_STORE_CSI_NAMESPACE,
        createNamespace: false,
        chart: VERSIONS.secretsStoreCsiProviderAws,
        installsCrds: [],
        // The provider registers with the driver's socket directory; install it once the driver runs.
        dependsOn: [{ name: driver.releaseName }],
        values: {
          'secrets-store-csi-driver': { install: false },
          tolerations: props.providerTolerations && props.providerTolerations.length > 0 ? [...props.providerTolerations] : undefined,
        },
      });
    },
  };
}
