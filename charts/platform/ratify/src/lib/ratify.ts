import { type ClusterConfig, type Unit, unitCallSite } from '@flotilla/config';
import { ControllerNetworkPolicies, HelmAddon, PodIdentityRole, VERSIONS, identityUnit, identityUnitName, partitionOf } from '@flotilla/constructs';
import * as k8s from '@flotilla/k8s-apis/k8s';
import { GATEKEEPER_NAMESPACE, GATEKEEPER_PROJECT, GATEKEEPER_WEBHOOK_TIMEOUT_SECONDS } from '@flotilla/charts/platform/gatekeeper';
import type { PolicyStatement } from '@flotilla/model';

export const RATIFY_PROJECT = 'ratify';
export const RATIFY_NAMESPACE = 'ratify';
/** The chart's default ServiceAccount name, fixed here so the Pod Identity association matches it. */
export const RATIFY_SERVICE_ACCOUNT = 'ratify-admin';
/** Groups of the chart's `crds/` folder (vendored from ratify-project/ratify v1.4.0, libs/upstream/crds/ratify). */
export const RATIFY_CRD_GROUPS = ['config.ratify.deislabs.io'] as const;
/**
 * The external data Provider the chart renders (`templates/provider.yaml`), which the signature
 * ConstraintTemplate calls. The chart renders it, not the fleet: its `caBundle` is the CA the chart
 * generates for Ratify's serving certificate at install.
 */
export const RATIFY_PROVIDER = 'ratify-provider';
/** Port of Ratify's external data endpoint (`/ratify/gatekeeper/v1/verify`). */
export const RATIFY_PROVIDER_PORT = 6001;
/**
 * Seconds Gatekeeper waits for Ratify (the chart's default): the verification happens inside
 * Gatekeeper's webhook call, so it equals Gatekeeper's `validatingWebhookTimeoutSeconds`, as Ratify's docs set them.
 */
export const RATIFY_VALIDATION_TIMEOUT_SECONDS = GATEKEEPER_WEBHOOK_TIMEOUT_SECONDS;

export interface RatifyProps {
  /** Ratify replicas; every pod admission waits on it, so prod runs at least 2. @default 1 */
  readonly replicas?: number;
}

/**
 * The values this chart sets (chart `ratify` 1.15.0, app v1.4.0), typed from its values.yaml: the
 * chart ships no values.schema.json (`VERSIONS.ratify.valuesSchema`).
 */
export interface RatifyValues {
  readonly replicaCount: number;
  readonly serviceAccount: { readonly create: true; readonly name: string };
  /** Off: the Verifier, its trust policy and certificates are rendered by unit `signing.image-verification`. */
  readonly notation: { readonly enabled: false };
  readonly cosign: { readonly enabled: false };
  /** The Gatekeeper release it plugs into: picks `externaldata.gatekeeper.sh/v1beta1` for the Provider. */
  readonly gatekeeper: { readonly version: string; readonly namespace: string };
  /** ECR credentials from the pod's AWS identity (Pod Identity) for the ORAS store. */
  readonly oras: { readonly authProviders: { readonly awsEcrBasicEnabled: true } };
  readonly provider: {
    readonly timeout: { readonly validationTimeoutSeconds: number };
    /** Off: no tag → digest `Assign` mutation; the fleet renders digests and checks it before merge. */
    readonly enableMutation: false;
  };
  readonly resources: { readonly requests: { readonly cpu: string; readonly memory: string }; readonly limits: { readonly memory: string } };
  /**
   * `RATIFY_EXPERIMENTAL_DYNAMIC_PLUGINS` lets a Verifier pull its plugin binary from an OCI
   * artifact (the AWS Signer Notation plugin), as Ratify's AWS Signer quickstart does.
   */
  readonly featureFlags: { readonly RATIFY_EXPERIMENTAL_DYNAMIC_PLUGINS: true };
  /** The chart's pre-upgrade CRD job; off because Flux upgrades the CRDs (`upgrade.crds: CreateReplace`). */
  readonly upgradeCRDs: { readonly enabled: false };
}

/**
 * What Ratify needs in AWS (the AWS Signer quickstart for Ratify): read the cluster's registry
 * (images, their Notation signatures as OCI referrers, and the plugin artifact if mirrored there)
 * and `signer:GetRevocationStatus`, which the AWS Signer Notation plugin calls for every signature.
 * `GetRevocationStatus` supports no resource-level permissions, hence `*`.
 */
export function ratifyStatements(cluster: ClusterConfig): PolicyStatement[] {
  return [
    { sid: 'EcrAuthorizationToken', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
    {
      sid: 'ReadImagesAndSignatures',
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
      resources: [`arn:${partitionOf(cluster.region)}:ecr:${cluster.region}:${cluster.account}:repository/*`],
    },
    { sid: 'SignerRevocationStatus', actions: ['signer:GetRevocationStatus'], resources: ['*'] },
  ];
}

/**
 * Ratify (chart 1.15.0 from https://ratify-project.github.io/ratify, app v1.4.0), Gatekeeper's
 * external data provider that verifies Notation signatures with the AWS Signer plugin:
 *
 * - `ratify.identity` (infra-controllers): the Pod Identity role (ECR read, Signer revocation);
 * - `ratify` (infra-controllers, after `gatekeeper`): the HelmRelease with its CRDs and the
 *   `ratify-provider` Provider, and the NetworkPolicies that let only Gatekeeper call it.
 */
export function ratify(props: RatifyProps = {}): Unit[] {
  const replicas = props.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`ratify replicas is ${replicas}; use a whole number of at least 1`);
  const identity = identityUnit({
    project: RATIFY_PROJECT,
    mechanism: 'pod-identity',
    render(scope, { cluster }) {
      new PodIdentityRole(scope, 'Identity', {
        cluster,
        roleSuffix: 'ratify',
        serviceAccountNamespace: RATIFY_NAMESPACE,
        serviceAccountName: RATIFY_SERVICE_ACCOUNT,
        statements: ratifyStatements(cluster),
      });
    },
  });
  const release: Unit = {
    name: RATIFY_PROJECT,
    project: RATIFY_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    // The chart renders an externaldata.gatekeeper.sh Provider: Gatekeeper's CRDs come first.
    dependsOn: [identityUnitName(RATIFY_PROJECT), GATEKEEPER_PROJECT],
    render(scope) {
      // Registries, AWS Signer and the plugin artifact over HTTPS; no webhook of its own.
      new ControllerNetworkPolicies(scope, 'NetworkPolicies', { namespace: RATIFY_NAMESPACE, awsApis: true });
      // Only Gatekeeper's pods call the external data endpoint (outside gatekeeper-system, Ratify
      // serves TLS without verifying Gatekeeper's client certificate, so the fence is the network).
      const fromGatekeeper = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': GATEKEEPER_NAMESPACE } } };
      const toRatify = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': RATIFY_NAMESPACE } } };
      const port = [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(RATIFY_PROVIDER_PORT) }];
      new k8s.KubeNetworkPolicy(scope, 'FromGatekeeper', {
        metadata: { name: 'allow-gatekeeper-external-data', namespace: RATIFY_NAMESPACE },
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [fromGatekeeper], ports: port }] },
      });
      new k8s.KubeNetworkPolicy(scope, 'ToRatify', {
        metadata: { name: 'allow-ratify-external-data', namespace: GATEKEEPER_NAMESPACE },
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [toRatify], ports: port }] },
      });
      new HelmAddon<RatifyValues>(scope, 'Ratify', {
        name: 'ratify',
        namespace: RATIFY_NAMESPACE,
        chart: VERSIONS.ratify,
        installsCrds: RATIFY_CRD_GROUPS,
        values: {
          replicaCount: replicas,
          serviceAccount: { create: true, name: RATIFY_SERVICE_ACCOUNT },
          notation: { enabled: false },
          cosign: { enabled: false },
          gatekeeper: { version: VERSIONS.gatekeeper.source.version, namespace: GATEKEEPER_NAMESPACE },
          oras: { authProviders: { awsEcrBasicEnabled: true } },
          provider: { timeout: { validationTimeoutSeconds: RATIFY_VALIDATION_TIMEOUT_SECONDS }, enableMutation: false },
          // Memory limit = request (the chart's default 512Mi).
          resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '512Mi' } },
          featureFlags: { RATIFY_EXPERIMENTAL_DYNAMIC_PLUGINS: true },
          upgradeCRDs: { enabled: false },
        },
      });
    },
  };
  return [identity, release];
}
