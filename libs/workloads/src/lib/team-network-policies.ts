import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AWS_CREDENTIALS_ANNOTATION, AWS_SERVICES_ANNOTATION, POD_IDENTITY_AGENT } from '@flotilla/model';
import type { AwsEgress } from './aws-egress';
import { assertDnsLabel, assertIntegerInRange, WorkloadValidationError } from './validation-error';

const { k8s } = kplus;

/** A destination outside the cluster that a team's pods may reach. */
export interface EgressRule {
  /** Short DNS-label name, used in the NetworkPolicy name `allow-egress-<name>`. */
  readonly name: string;
  /** IPv4 CIDR, e.g. the VPC's database subnets `10.0.64.0/20`. */
  readonly cidr: string;
  /** Ports allowed to that CIDR. */
  readonly ports: readonly { readonly port: number; readonly protocol?: 'TCP' | 'UDP' }[];
  /**
   * Labels of the pods the rule opens egress for (e.g. `{ 'app.kubernetes.io/name': 'config-demo' }`),
   * so a wide destination such as HTTPS to AWS endpoints is given only to the workload that calls them.
   *
   * @default - every pod of the team
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Why the team's pods reach this destination (annotation `flotilla.dev/reason`). @default - none */
  readonly reason?: string;
}

export interface TeamNetworkPoliciesProps {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Namespace of the ingress controller (Kong) whose proxies may connect to the team's pods. */
  readonly ingressControllerNamespace: string;
  /** Labels of the gateway's proxy pods; only they may connect, not the whole controller namespace. */
  readonly ingressProxyPodLabels: Readonly<Record<string, string>>;
  readonly egress: readonly EgressRule[];
  /** Workloads' AWS egress (`allow-aws-<workload>`). @default - none */
  readonly awsEgress?: readonly AwsEgress[];
}

/**
 * Pod labels of the kong/kong chart's proxy Deployment (`kong.selectorLabels` in chart 2.51.0:
 * name `kong`, component `app`, instance = the release name `kong` of charts/platform/kong).
 */
export const KONG_PROXY_POD_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'kong',
  'app.kubernetes.io/instance': 'kong',
  'app.kubernetes.io/component': 'app',
};

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Default-deny ingress and egress for the namespace, then the openings every team needs:
 * traffic between its own pods, DNS to CoreDNS, ingress from the ingress controller, the
 * team's declared egress destinations, and per workload that uses AWS `allow-aws-<workload>`: its
 * credentials path (the Pod Identity Agent, or STS for IRSA) and HTTPS to each AWS API it calls.
 */
export class TeamNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: TeamNetworkPoliciesProps) {
    super(scope, id);
    const { namespace, labels } = props;
    const meta = (name: string) => ({ name, namespace, labels });
    const everyPod = {};
    const namespaceNamed = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

    new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: meta('default-deny'),
      spec: { podSelector: everyPod, policyTypes: ['Ingress', 'Egress'] },
    });
    new k8s.KubeNetworkPolicy(this, 'SameNamespace', {
      metadata: meta('allow-same-namespace'),
      spec: {
        podSelector: everyPod,
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: everyPod }] }],
        egress: [{ to: [{ podSelector: everyPod }] }],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'Dns', {
      metadata: meta('allow-dns'),
      spec: {
        podSelector: everyPod,
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: namespaceNamed('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
              { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
            ],
          },
        ],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'IngressController', {
      metadata: meta('allow-from-ingress-controller'),
      spec: {
        podSelector: everyPod,
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: namespaceNamed(props.ingressControllerNamespace), podSelector: { matchLabels: { ...props.ingressProxyPodLabels } } }] }],
      },
    });
    const names = new Set<string>();
    for (const rule of props.egress) {
      assertDnsLabel('egress.name', rule.name, 50);
      if (names.has(rule.name)) {
        throw new WorkloadValidationError('workloads/team', `'egress' lists '${rule.name}' twice; egress rule names must be unique`);
      }
      names.add(rule.name);
      const match = CIDR.exec(rule.cidr);
      if (!match || match.slice(1, 5).some((octet) => Number(octet) > 255) || Number(match[5]) > 32) {
        throw new WorkloadValidationError('workloads/team', `'egress.${rule.name}.cidr' ('${rule.cidr}') must be an IPv4 CIDR such as '10.0.64.0/20'`);
      }
      if (rule.ports.length === 0) {
        throw new WorkloadValidationError('workloads/team', `'egress.${rule.name}.ports' is empty; list the ports the team's pods connect to`);
      }
      for (const port of rule.ports) assertIntegerInRange(`egress.${rule.name}.ports.port`, port.port, 1, 65535);
      if (rule.podLabels && Object.keys(rule.podLabels).length === 0) {
        throw new WorkloadValidationError('workloads/team', `'egress.${rule.name}.podLabels' is empty, which selects every pod; leave it out for the whole team or give the workload's labels`);
      }
      new k8s.KubeNetworkPolicy(this, `Egress-${rule.name}`, {
        metadata: { ...meta(`allow-egress-${rule.name}`), ...(rule.reason ? { annotations: { 'flotilla.dev/reason': rule.reason } } : {}) },
        spec: {
          podSelector: rule.podLabels ? { matchLabels: { ...rule.podLabels } } : everyPod,
          policyTypes: ['Egress'],
          egress: [
            {
              to: [{ ipBlock: { cidr: rule.cidr } }],
              ports: rule.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? 'TCP' })),
            },
          ],
        },
      });
    }
      const awsNames = new Set<string>();
    for (const aws of props.awsEgress ?? []) {
      if (awsNames.has(aws.name)) throw new WorkloadValidationError('workloads/team', `'awsEgress' lists '${aws.name}' twice; declare each workload's AWS use once`);
      awsNames.add(aws.name);
      const https = [...new Set(aws.endpoints.map((e) => e.cidr))].sort();
      const rules = [
        ...(aws.credentials === 'pod-identity'
          ? [{ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT[aws.ipFamily] } }], ports: [{ port: k8s.IntOrString.fromNumber(POD_IDENTITY_AGENT.port), protocol: 'TCP' }] }]
          : []),
        ...(https.length > 0 ? [{ to: https.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: k8s.IntOrString.fromNumber(443), protocol: 'TCP' }] }] : []),
      ];
      const routes = aws.endpoints.map((e) => `${e.service} ${e.viaVpcEndpoint ? `VPC endpoint ${e.cidr}` : 'public endpoint'}`).join(', ');
      new k8s.KubeNetworkPolicy(this, `Aws-${aws.name}`, {
        metadata: {
          ...meta(`allow-aws-${aws.name}`),
          annotations: {
            [AWS_SERVICES_ANNOTATION]: aws.endpoints.map((e) => e.service).join(','),
            [AWS_CREDENTIALS_ANNOTATION]: aws.credentials,
            'flotilla.dev/reason': `${aws.name}: ${aws.credentials === 'pod-identity' ? 'EKS Pod Identity Agent credentials' : 'IRSA (STS)'}; HTTPS to ${routes}`,
          },
        },
        spec: { podSelector: { matchLabels: { ...aws.podLabels } }, policyTypes: ['Egress'], egress: rules },
      });
    }
  }
}
