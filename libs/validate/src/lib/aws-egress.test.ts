import type { KubeObject, RenderedObject } from '@flotilla/model';
import { describe, expect, it } from 'vitest';
import { byCluster } from './cluster-index';
import { checkAwsEgress } from './aws-egress';

let index = 0;
const at = (object: KubeObject): RenderedObject => ({ file: `${object.kind}_${object.metadata.name}.yaml`, index: index++, cluster: 'prod', object });
const check = (objects: KubeObject[]) => byCluster(objects.map(at)).flatMap(checkAwsEgress);
const POD_LABELS = { 'app.kubernetes.io/name': 'config-demo' };
const policy = (name: string, podSelector: Record<string, unknown>, egress?: unknown[]) =>
  ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'team-a' }, spec: { podSelector, policyTypes: ['Egress'], ...(egress ? { egress } : {}) } }) as KubeObject;
const defaultDeny = policy('default-deny', {});
const dns = policy('allow-dns', {}, [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 53, protocol: 'UDP' }] }]);
const deployment = (containers: unknown[], extra: Record<string, unknown> = {}) =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'config-demo', namespace: 'team-a' },
    spec: { template: { metadata: { labels: POD_LABELS }, spec: { serviceAccountName: 'config-demo', containers, ...extra } } },
  }) as KubeObject;
const agent = { name: 'appconfig-agent', image: 'public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147' };
const app = { name: 'app', image: 'nginx:1.29' };
const pia = { apiVersion: 'eks.services.k8s.aws/v1alpha1', kind: 'PodIdentityAssociation', metadata: { name: 'team-a-config-demo', namespace: 'team-a' }, spec: { namespace: 'team-a', serviceAccount: 'config-demo' } } as KubeObject;
const awsPolicy = (https: string, agentCidr = '169.254.170.23/32') =>
  policy('allow-aws-config-demo', { matchLabels: POD_LABELS }, [
    { to: [{ ipBlock: { cidr: agentCidr } }], ports: [{ port: 80, protocol: 'TCP' }] },
    { to: [{ ipBlock: { cidr: https } }], ports: [{ port: 443, protocol: 'TCP' }] },
  ]);

describe('checkAwsEgress', () => {
  it("accepts a Pod Identity workload with an AppConfig Agent when allow-aws-<workload> opens the agent and HTTPS (VPC endpoint or public)", () => {
    expect(check([defaultDeny, dns, deployment([app, agent]), pia, awsPolicy('10.20.96.0/24')])).toEqual([]);
    expect(check([defaultDeny, dns, deployment([app, agent]), pia, awsPolicy('0.0.0.0/0')])).toEqual([]);
    expect(check([defaultDeny, dns, deployment([app, agent]), pia, awsPolicy('10.20.96.0/24', 'fd00:ec2::23/128')])).toEqual([]);
  });

  it('rejects a Pod Identity binding without a path, naming the workload, the binding and the missing egress, with the fix', () => {
    const findings = check([defaultDeny, dns, deployment([app]), pia]);
    expect(findings.map((f) => [f.code, f.severity, f.object, f.path])).toEqual([['network/aws-egress', 'error', 'Deployment team-a/config-demo', 'spec.template.spec.serviceAccountName']]);
    expect(findings[0]!.message).toMatch(
      /Deployment team-a\/config-demo uses AWS through PodIdentityAssociation team-a\/team-a-config-demo \(ServiceAccount config-demo\), but the NetworkPolicies of namespace team-a that select its pods \(allow-dns, default-deny\) allow no egress to the EKS Pod Identity Agent \(169\.254\.170\.23\/32 or \[fd00:ec2::23\], TCP 80\) nor HTTPS \(TCP 443\)/,
    );
    expect(findings[0]!.fix).toMatch(/awsEgress: \[awsEgressFor\(c, \{ name: 'config-demo', .*credentials: 'pod-identity'.*allow-aws-config-demo/);
  });

  it('rejects an AppConfig Agent with credentials but no HTTPS, and an agent path on the wrong port or excepted', () => {
    const noHttps = policy('allow-aws-config-demo', { matchLabels: POD_LABELS }, [{ to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ port: 80 }] }]);
    const findings = check([defaultDeny, deployment([app, agent]), pia, noHttps]);
    expect(findings.map((f) => f.message.match(/through (.*?), but/)?.[1])).toEqual(['its AWS AppConfig Agent container', 'PodIdentityAssociation team-a/team-a-config-demo (ServiceAccount config-demo)']);
    const wrongPort = policy('allow-aws', { matchLabels: POD_LABELS }, [{ to: [{ ipBlock: { cidr: '169.254.0.0/16' } }], ports: [{ port: 8080 }] }, { ports: [{ port: 443 }] }]);
    expect(check([defaultDeny, deployment([app]), pia, wrongPort])[0]!.message).toMatch(/allow no egress to the EKS Pod Identity Agent/);
    const excepted = policy('allow-aws', { matchLabels: POD_LABELS }, [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16'] } }] }]);
    expect(check([defaultDeny, deployment([app]), pia, excepted])[0]!.message).toMatch(/Pod Identity Agent/);
  });

  it('requires HTTPS for an IRSA role, but not for pods whose AWS use is their CSI volumes, and not for pods no Egress policy selects', () => {
    const irsa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'config-demo', namespace: 'team-a', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::222222222222:role/web' } } } as KubeObject;
    expect(check([defaultDeny, deployment([app]), irsa])[0]!.message).toMatch(/the IRSA role arn:aws:iam::222222222222:role\/web of ServiceAccount config-demo.*HTTPS \(TCP 443\) to STS/);
    expect(check([defaultDeny, deployment([app], { volumes: [{ name: 'db', csi: { driver: 'secrets-store.csi.k8s.io' } }] }), irsa])).toEqual([]);
    const otherPods = policy('allow-dns', { matchLabels: { other: 'x' } }, [{ ports: [{ port: 53, protocol: 'UDP' }] }]);
    expect(check([otherPods, deployment([app, agent]), pia])).toEqual([]);
  });
});
