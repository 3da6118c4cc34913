import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { POD_IDENTITY_AGENT } from '@flotilla/model';

/**
 * What a controller namespace may send and receive. Plain NetworkPolicies cannot name DNS
 * destinations, so HTTPS egress (the Kubernetes API endpoint and AWS service endpoints, both
 * outside the pod network on EKS) is TCP 443 to any address; everything else stays closed.
 */
export interface ControllerNetworkPoliciesProps {
  readonly namespace: string;
  /** HTTPS to the Kubernetes API (every controller watches it). @default true */
  readonly kubernetesApi?: boolean;
  /**
   * HTTPS to AWS service endpoints (STS, IAM, Secrets Manager, EC2, …), and HTTP to the node's EKS
   * Pod Identity Agent, where the SDKs fetch the controller's credentials. @default false
   */
  readonly awsApis?: boolean;
  /** Container ports the API server calls for admission or conversion webhooks. @default - none */
  readonly webhookPorts?: readonly number[];
}

/**
 * Default-deny ingress and egress for a controller namespace, then DNS to CoreDNS, traffic between
 * the namespace's own pods, HTTPS egress when the controller needs it, and webhook ingress on the
 * declared ports (the API server's addresses are not pods, so the port is the fence).
 */
export class ControllerNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: ControllerNetworkPoliciesProps) {
    super(scope, id);
    const webhookPorts = [...new Set(props.webhookPorts ?? [])].sort((a, b) => a - b);
    for (const port of webhookPorts) {
      if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`ControllerNetworkPolicies '${props.namespace}': webhookPorts entry ${port} is not a port (1-65535)`);
    }
    const kubernetesApi = props.kubernetesApi ?? true;
    const awsApis = props.awsApis ?? false;
    const metadata = (name: string) => ({ name, namespace: props.namespace });
    const everyPod = {};
    new k8s.KubeNetworkPolicy(this, 'DefaultDeny', { metadata: metadata('default-deny'), spec: { podSelector: everyPod, policyTypes: ['Ingress', 'Egress'] } });
    new k8s.KubeNetworkPolicy(this, 'SameNamespace', {
      metadata: metadata('allow-same-namespace'),
      spec: { podSelector: everyPod, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: everyPod }] }], egress: [{ to: [{ podSelector: everyPod }] }] },
    });
    new k8s.KubeNetworkPolicy(this, 'Dns', {
      metadata: metadata('allow-dns'),
      spec: {
        podSelector: everyPod,
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
              { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
            ],
          },
        ],
      },
    });
    if (kubernetesApi || awsApis) {
      const to = [kubernetesApi ? 'the Kubernetes API' : '', awsApis ? 'AWS APIs' : ''].filter(Boolean).join(' and ');
      new k8s.KubeNetworkPolicy(this, 'Https', {
        metadata: { ...metadata('allow-https-egress'), annotations: { 'flotilla.dev/reason': `HTTPS to ${to}` } },
        spec: { podSelector: everyPod, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: k8s.IntOrString.fromNumber(443), protocol: 'TCP' }] }] },
      });
    }
    if (awsApis) {
      // Pod Identity credentials come from the agent on the node (link-local, port 80), not over 443:
      // without this rule every AWS call of the controller fails for lack of credentials.
      new k8s.KubeNetworkPolicy(this, 'PodIdentityAgent', {
        metadata: { ...metadata('allow-pod-identity-agent'), annotations: { 'flotilla.dev/reason': 'credentials from the EKS Pod Identity Agent on the node' } },
        spec: {
          podSelector: everyPod,
          policyTypes: ['Egress'],
          egress: [
            {
              to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.ipv4 } }, { ipBlock: { cidr: POD_IDENTITY_AGENT.ipv6 } }],
              ports: [{ port: k8s.IntOrString.fromNumber(POD_IDENTITY_AGENT.port), protocol: 'TCP' }],
            },
          ],
        },
      });
    }
    if (webhookPorts.length > 0) {
      new k8s.KubeNetworkPolicy(this, 'Webhooks', {
        metadata: metadata('allow-webhooks-from-api-server'),
        spec: { podSelector: everyPod, policyTypes: ['Ingress'], ingress: [{ ports: webhookPorts.map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' })) }] },
      });
    }
  }
}
