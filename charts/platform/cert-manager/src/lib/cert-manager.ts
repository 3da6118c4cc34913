import { type Unit, unitCallSite } from '@flotilla/config';
import type { CertManagerChartValues } from '@flotilla/k8s-apis/helm-values';
import { ControllerNetworkPolicies, HelmAddon, PodIdentityRole, VERSIONS, identityUnit, identityUnitName, partitionOf } from '@flotilla/constructs';
import type { PolicyStatement } from '@flotilla/model';
import { type DnsZone, validateDnsZones } from './dns-zone';

export const CERT_MANAGER_PROJECT = 'cert-manager';
export const CERT_MANAGER_NAMESPACE = 'cert-manager';
/** The controller's ServiceAccount (the Pod Identity association binds the role to it). */
export const CERT_MANAGER_SERVICE_ACCOUNT = 'cert-manager';
export const CERT_MANAGER_ROLE_SUFFIX = 'cert-manager';
/** The webhook's port (chart default `webhook.securePort`), opened to the API server. */
export const CERT_MANAGER_WEBHOOK_PORT = 10250;

export interface CertManagerProps {
  /** The Route 53 hosted zones DNS-01 challenges are answered in; the controller may write TXT records there only. */
  readonly dnsZones: readonly DnsZone[];
  /** Controller replicas (leader-elected). @default 1 */
  readonly replicas?: number;
}

/** The values this project sets (chart `cert-manager` v1.21.1; synth checks them against its values schema). */
export interface CertManagerValues extends CertManagerChartValues {
  /** CRDs are chart templates; `keep` leaves them (and every Certificate) in place if the release goes. */
  readonly crds: { readonly enabled: boolean; readonly keep: boolean };
  readonly replicaCount: number;
  readonly serviceAccount: { readonly create: boolean; readonly name: string };
  /** Gateway API support: certificates for Gateway listeners annotated `cert-manager.io/cluster-issuer`. */
  readonly config: { readonly apiVersion: string; readonly kind: string; readonly enableGatewayAPI: boolean };
  /**
   * Check DNS-01 propagation through the cluster resolver: the namespace's NetworkPolicies allow DNS
   * to kube-dns only, not to the zones' authoritative servers.
   */
  readonly dns01RecursiveNameserversOnly: boolean;
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly maxUnavailable?: number };
}

/** Route 53 permissions for DNS-01 in `zones`: TXT records named `_acme-challenge.*` only (cert-manager's Route53 docs, narrowed). */
export function certManagerStatements(partition: string, zones: readonly DnsZone[]): PolicyStatement[] {
  return [
    { sid: 'ReadChangeStatus', actions: ['route53:GetChange'], resources: [`arn:${partition}:route53:::change/*`] },
    {
      sid: 'WriteChallengeRecords',
      actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
      resources: [...new Set(zones.map((zone) => `arn:${partition}:route53:::hostedzone/${zone.hostedZoneId}`))].sort(),
      conditions: {
        'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
        'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.*'] },
      },
    },
  ];
}

/**
 * cert-manager: `cert-manager.identity` (Pod Identity role that may write `_acme-challenge` TXT
 * records in the listed hosted zones) and `cert-manager` (the release, CRDs included, Gateway API
 * support on, and the namespace's default-deny NetworkPolicies). Certificates come from the
 * ClusterIssuer of {@link clusterIssuer}; apps ask for one with `cert-manager.io/cluster-issuer` on
 * their Ingress or Gateway, so the hostnames are those the route policy already lets the team use.
 */
export function certManager(props: CertManagerProps): Unit[] {
  const replicas = props.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`certManager replicas is ${replicas}; use a whole number of at least 1`);
  validateDnsZones('certManager', props.dnsZones);

  const identity = identityUnit({
    project: CERT_MANAGER_PROJECT,
    mechanism: 'pod-identity',
    render(scope, { cluster }) {
      new PodIdentityRole(scope, 'ControllerIdentity', {
        cluster,
        roleSuffix: CERT_MANAGER_ROLE_SUFFIX,
        serviceAccountNamespace: CERT_MANAGER_NAMESPACE,
        serviceAccountName: CERT_MANAGER_SERVICE_ACCOUNT,
        statements: certManagerStatements(partitionOf(cluster.region), props.dnsZones),
      });
    },
  });

  const release: Unit = {
    name: CERT_MANAGER_PROJECT,
    project: CERT_MANAGER_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    dependsOn: [identityUnitName(CERT_MANAGER_PROJECT)],
    render(scope) {
      // Route 53 and the ACME directory over HTTPS; the API server calls the webhook.
      new ControllerNetworkPolicies(scope, 'NetworkPolicies', { namespace: CERT_MANAGER_NAMESPACE, awsApis: true, webhookPorts: [CERT_MANAGER_WEBHOOK_PORT] });
      new HelmAddon<CertManagerValues>(scope, 'CertManager', {
        name: 'cert-manager',
        namespace: CERT_MANAGER_NAMESPACE,
        chart: VERSIONS.certManager,
        installsCrds: ['acme.cert-manager.io', 'cert-manager.io'],
        values: {
          crds: { enabled: true, keep: true },
          replicaCount: replicas,
          serviceAccount: { create: true, name: CERT_MANAGER_SERVICE_ACCOUNT },
          config: { apiVersion: 'controller.config.cert-manager.io/v1alpha1', kind: 'ControllerConfiguration', enableGatewayAPI: true },
          dns01RecursiveNameserversOnly: true,
          podDisruptionBudget: replicas > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
        },
      });
    },
  };
  return [identity, release];
}
