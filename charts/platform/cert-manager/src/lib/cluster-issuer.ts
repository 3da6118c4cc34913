import { type Unit, unitCallSite } from '@flotilla/config';
import * as cm from '@flotilla/k8s-apis/cert-manager';
import { CERT_MANAGER_PROJECT } from './cert-manager';
import { type DnsZone, validateDnsZones } from './dns-zone';

/** The ClusterIssuer apps name in `cert-manager.io/cluster-issuer` (Ingress, Gateway). */
export const TLS_CLUSTER_ISSUER = 'letsencrypt';
/** Let's Encrypt's production ACME directory. */
export const LETS_ENCRYPT_PRODUCTION = 'https://acme-v02.api.letsencrypt.org/directory';
/** Let's Encrypt's staging directory (untrusted certificates, generous rate limits), for trying things out. */
export const LETS_ENCRYPT_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';

export interface ClusterIssuerProps {
  /** Where the ACME CA sends expiry and account notices. */
  readonly email: string;
  /** The Route 53 zones DNS-01 answers in; each solver is selected by its zone (the same list as certManager's). */
  readonly dnsZones: readonly DnsZone[];
  /** @default LETS_ENCRYPT_PRODUCTION */
  readonly server?: string;
}

const EMAIL = /^[^@\s]+@([a-z0-9-]+\.)+[a-z]{2,}$/i;

/**
 * The `cert-manager.issuer` unit (infra-configs, after the controller installed the CRDs): one ACME
 * ClusterIssuer, {@link TLS_CLUSTER_ISSUER}, that proves control of a name with a DNS-01 TXT record
 * in its Route 53 zone. DNS-01 rather than HTTP-01: the Kong gateway redirects HTTP to HTTPS and the
 * challenge needs no route through it. Credentials are the controller's Pod Identity (ambient).
 */
export function clusterIssuer(props: ClusterIssuerProps): Unit {
  if (!EMAIL.test(props.email)) throw new Error(`clusterIssuer email '${props.email}' is not an email address; the ACME CA sends expiry notices there`);
  validateDnsZones('clusterIssuer', props.dnsZones);
  const server = props.server ?? LETS_ENCRYPT_PRODUCTION;
  if (!/^https:\/\/[^\s]+$/.test(server)) throw new Error(`clusterIssuer server '${server}' must be an https:// ACME directory URL`);
  return {
    name: `${CERT_MANAGER_PROJECT}.issuer`,
    project: CERT_MANAGER_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-configs',
    render(scope, { cluster }) {
      new cm.ClusterIssuer(scope, 'Issuer', {
        metadata: { name: TLS_CLUSTER_ISSUER },
        spec: {
          acme: {
            server,
            email: props.email,
            // The account key cert-manager generates on first use; never rendered.
            privateKeySecretRef: { name: `${TLS_CLUSTER_ISSUER}-account-key` },
            solvers: props.dnsZones.map((zone) => ({
              selector: { dnsZones: [zone.zone] },
              dns01: { route53: { region: cluster.region, hostedZoneId: zone.hostedZoneId } },
            })),
          },
        },
      });
    },
  };
}
