import { Duration, type Unit, unitCallSite } from '@flotilla/config';
import { ControllerNetworkPolicies, HelmAddon, VERSIONS } from '@flotilla/constructs';

export const GATEKEEPER_PROJECT = 'gatekeeper';
export const GATEKEEPER_NAMESPACE = 'gatekeeper-system';

/**
 * API groups whose CRDs the release brings. The chart's `crds/` folder holds the first eight;
 * `constraints.gatekeeper.sh` CRDs are created by the controller at runtime, one per
 * ConstraintTemplate, so constraints must be in a unit after the one with their templates.
 */
export const GATEKEEPER_CRD_GROUPS = [
  'config.gatekeeper.sh',
  'connection.gatekeeper.sh',
  'expansion.gatekeeper.sh',
  'externaldata.gatekeeper.sh',
  'mutations.gatekeeper.sh',
  'status.gatekeeper.sh',
  'syncset.gatekeeper.sh',
  'templates.gatekeeper.sh',
  'constraints.gatekeeper.sh',
] as const;

export type GatekeeperLogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

export interface GatekeeperProps {
  /** Webhook (controller-manager) replicas. @default 3 */
  readonly replicas?: number;
  /** How often the audit pod re-evaluates every constraint against the cluster. @default Duration.seconds(60) */
  readonly auditInterval?: Duration;
  /** @default 'INFO' */
  readonly logLevel?: GatekeeperLogLevel;
  /**
   * What the API server does when the webhook cannot answer. `Fail` blocks writes while
   * Gatekeeper is down; `Ignore` lets them through.
   *
   * @default 'Ignore'
   */
  readonly failurePolicy?: 'Ignore' | 'Fail';
  /** Violations recorded per constraint in its status. @default 20 */
  readonly constraintViolationsLimit?: number;
  /** Namespaces the webhook never evaluates (besides `gatekeeper-system`). @default - none */
  readonly exemptNamespaces?: readonly string[];
}

/** The values this chart sets (chart `gatekeeper` 3.23.0). */
export interface GatekeeperValues {
  readonly replicas: number;
  /** Seconds. */
  readonly auditInterval: number;
  readonly logLevel: GatekeeperLogLevel;
  readonly constraintViolationsLimit: number;
  readonly validatingWebhookFailurePolicy: 'Ignore' | 'Fail';
  /** The CEL `K8sNativeValidation` engine for ConstraintTemplates (`--enable-k8s-native-validation`). */
  readonly enableK8sNativeValidation: boolean;
  /** The chart's pre-upgrade CRD job; off because Flux upgrades the CRDs (`upgrade.crds: CreateReplace`). */
  readonly upgradeCRDs: { readonly enabled: boolean };
  readonly controllerManager: { readonly exemptNamespaces: readonly string[] };
  /** External data providers (Ratify's signature verification, unit `ratify`). */
  readonly enableExternalData: true;
  /**
   * Seconds the API server waits for the webhook: Ratify's provider timeout (5 s, what Ratify's
   * docs set) must fit inside it; the chart's default is 3.
   */
  readonly validatingWebhookTimeoutSeconds: number;
  /** How long Gatekeeper caches a provider's answer per image (Ratify's docs: 10s; the chart's default 3m). */
  readonly externaldataProviderResponseCacheTTL: string;
}

/** Webhook timeout: room for an external data call (Ratify's `provider.timeout.validationTimeoutSeconds`, 5). */
export const GATEKEEPER_WEBHOOK_TIMEOUT_SECONDS = 5;

/** OPA Gatekeeper with the CEL engine on. ConstraintTemplates and constraints are platform configuration. */
export function gatekeeper(props: GatekeeperProps = {}): Unit {
  const replicas = props.replicas ?? 3;
  const auditSeconds = (props.auditInterval ?? Duration.seconds(60)).toSeconds();
  const violations = props.constraintViolationsLimit ?? 20;
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`gatekeeper replicas is ${replicas}; use a whole number of at least 1`);
  if (auditSeconds < 10) throw new Error(`gatekeeper auditInterval is ${auditSeconds}s; use at least 10 seconds (each audit lists every object in the cluster)`);
  if (!Number.isInteger(violations) || violations < 0) throw new Error(`gatekeeper constraintViolationsLimit is ${violations}; use a whole number of 0 or more`);
  return {
    name: GATEKEEPER_PROJECT,
    project: GATEKEEPER_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    render(scope) {
      // The API server calls the admission webhook on 8443; Gatekeeper needs no AWS API.
      new ControllerNetworkPolicies(scope, 'NetworkPolicies', { namespace: GATEKEEPER_NAMESPACE, webhookPorts: [8443] });
      new HelmAddon<GatekeeperValues>(scope, 'Gatekeeper', {
        name: 'gatekeeper',
        namespace: GATEKEEPER_NAMESPACE,
        // The chart expects its namespace to be exempt from its own webhook.
        namespaceLabels: { 'admission.gatekeeper.sh/ignore': 'no-self-managing' },
        chart: VERSIONS.gatekeeper,
        installsCrds: GATEKEEPER_CRD_GROUPS,
        values: {
          replicas,
          auditInterval: auditSeconds,
          logLevel: props.logLevel ?? 'INFO',
          constraintViolationsLimit: violations,
          validatingWebhookFailurePolicy: props.failurePolicy ?? 'Ignore',
          enableK8sNativeValidation: true,
          upgradeCRDs: { enabled: false },
          controllerManager: { exemptNamespaces: [...(props.exemptNamespaces ?? [])] },
          enableExternalData: true,
          validatingWebhookTimeoutSeconds: GATEKEEPER_WEBHOOK_TIMEOUT_SECONDS,
          externaldataProviderResponseCacheTTL: '10s',
        },
      });
    },
  };
}
