import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { ControllerNetworkPolicies } from '@flotilla/constructs';
import { KONG_PROXY_POD_LABELS } from '@flotilla/workloads';

/** Container ports of the proxy's listeners (the chart's `proxy.http`/`proxy.tls`), pinned in the values. */
export const KONG_PROXY_PORTS = { http: 8000, tls: 8443 } as const;
/** Container port of KIC's admission webhook (`ingressController.admissionWebhook.port`), pinned in the values. */
export const KONG_ADMISSION_WEBHOOK_PORT = 8080;
/** The label the `Team` construct puts on every tenant namespace. */
const TENANT_NAMESPACE_LABEL = 'team';

export interface KongNetworkPoliciesProps {
  readonly namespace: string;
}

/**
 * The kong namespace denies by default, like every controller namespace, then opens what the
 * gateway needs: the proxy's listeners to anyone (the load balancer forwards clients, whose
 * addresses are arbitrary), the proxy to tenant namespaces' pods (the upstreams of every route),
 * KIC (a container of the same pods) to the Kubernetes API over HTTPS, and the API server to KIC's
 * admission webhook. Nothing else in the namespace (a debug pod, a future controller) gets these.
 */
export class KongNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: KongNetworkPoliciesProps) {
    super(scope, id);
    new ControllerNetworkPolicies(this, 'Controller', { namespace: props.namespace, webhookPorts: [KONG_ADMISSION_WEBHOOK_PORT] });
    const proxyPods = { matchLabels: { ...KONG_PROXY_POD_LABELS } };
    const tcp = (port: number) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' });
    new k8s.KubeNetworkPolicy(this, 'FromLoadBalancer', {
      metadata: { name: 'allow-proxy-from-load-balancer', namespace: props.namespace, annotations: { 'flotilla.dev/reason': 'clients through the NLB reach the proxy listeners only' } },
      spec: { podSelector: proxyPods, policyTypes: ['Ingress'], ingress: [{ ports: [tcp(KONG_PROXY_PORTS.http), tcp(KONG_PROXY_PORTS.tls)] }] },
    });
    new k8s.KubeNetworkPolicy(this, 'ToTenants', {
      metadata: { name: 'allow-proxy-to-tenants', namespace: props.namespace, annotations: { 'flotilla.dev/reason': "the proxy forwards to the routes' Services in tenant namespaces" } },
      spec: {
        podSelector: proxyPods,
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: TENANT_NAMESPACE_LABEL, operator: 'Exists' }] } }] }],
      },
    });
  }
}
