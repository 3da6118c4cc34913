import { POD_IDENTITY_AGENT, apiGroupOf, findingFor, joinFieldPath, type Finding, type RenderedObject } from '@flotilla/model';
import { field, listOf, type ClusterIndex } from './cluster-index';
import { POD_SPEC_PATHS } from './pod-specs';
import { selectorMatches } from './selectors';

interface PolicyPort {
  port?: unknown;
  endPort?: unknown;
  protocol?: unknown;
}

interface PolicyPeer {
  ipBlock?: { cidr?: unknown; except?: unknown[] };
  podSelector?: unknown;
  namespaceSelector?: unknown;
}

interface EgressRule {
  to?: PolicyPeer[];
  ports?: PolicyPort[];
}

/** What a workload needs to reach for its declared AWS use. */
interface Need {
  readonly what: string;
  readonly allowed: (rules: readonly EgressRule[]) => boolean;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;

/** First and last address of an IPv4 CIDR (or address), or undefined for anything else (IPv6, garbage). */
function range(cidr: unknown): [number, number] | undefined {
  const match = typeof cidr === 'string' ? IPV4.exec(cidr) : null;
  if (!match) return undefined;
  const address = match.slice(1, 5).reduce((value, octet) => value * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(match[5] ?? 32));
  const start = address - (address % size);
  return [start, start + size - 1];
}

const covers = (outer: unknown, inner: string) => {
  const a = range(outer);
  const b = range(inner);
  if (a && b) return a[0] <= b[0] && b[1] <= a[1];
  // IPv6: the agent's own /128 or everything.
  return typeof outer === 'string' && (outer === inner || (inner.includes(':') && outer === '::/0'));
};

const portAllows = (ports: readonly PolicyPort[] | undefined, port: number) =>
  !ports ||
  ports.length === 0 ||
  ports.some((p) => (p.protocol ?? 'TCP') === 'TCP' && (p.port === undefined || p.port === port || (typeof p.port === 'number' && typeof p.endPort === 'number' && p.port <= port && port <= p.endPort)));

/** A rule admits traffic to `cidr` on `port`: no `to` (everywhere) or an ipBlock covering it and not excepted. */
const admits = (rule: EgressRule, port: number, cidr?: string) =>
  portAllows(rule.ports, port) &&
  (!rule.to ||
    rule.to.length === 0 ||
    rule.to.some((peer) => peer.ipBlock !== undefined && (cidr === undefined || (covers(peer.ipBlock.cidr, cidr) && !listOf<unknown>(peer.ipBlock.except).some((except) => covers(except, cidr))))));

const podIdentityAgent: Need = {
  what: `the EKS Pod Identity Agent (${POD_IDENTITY_AGENT.ipv4} or [${POD_IDENTITY_AGENT.ipv6.replace('/128', '')}], TCP ${POD_IDENTITY_AGENT.port})`,
  allowed: (rules) => rules.some((rule) => admits(rule, POD_IDENTITY_AGENT.port, POD_IDENTITY_AGENT.ipv4) || admits(rule, POD_IDENTITY_AGENT.port, POD_IDENTITY_AGENT.ipv6)),
};

const https = (apis: string): Need => ({
  what: `HTTPS (TCP 443) to ${apis} (a VPC endpoint's subnets or the public endpoint)`,
  allowed: (rules) => rules.some((rule) => admits(rule, 443)),
});

const APPCONFIG_AGENT_IMAGE = /(^|\/)aws-appconfig\/aws-appconfig-agent[:@]/;

/**
 * Every workload whose declared AWS use needs the network has a path in its namespace's
 * NetworkPolicies: a pod whose ServiceAccount a `PodIdentityAssociation` binds reaches the node's
 * Pod Identity Agent and HTTPS; a pod whose ServiceAccount carries an IRSA role reaches HTTPS (STS);
 * an AWS AppConfig Agent container reaches HTTPS (AppConfig Data). Pods that mount CSI volumes and
 * run no AppConfig Agent are left alone: the Secrets Store and Mountpoint for S3 drivers call AWS from
 * their own pods with the workload's token. Pods no Egress policy selects are not isolated.
 */
export function checkAwsEgress(index: ClusterIndex): Finding[] {
  const findings: Finding[] = [];
  const policies = index.ofKind('networking.k8s.io', 'NetworkPolicy');
  if (policies.length === 0) return findings;
  const associations = new Map<string, RenderedObject>();
  for (const pia of index.ofKind('eks.services.k8s.aws', 'PodIdentityAssociation')) {
    associations.set(`${field(pia.object.spec, 'namespace')}/${field(pia.object.spec, 'serviceAccount')}`, pia);
  }
  for (const rendered of index.objects) {
    const base = POD_SPEC_PATHS[`${apiGroupOf(rendered.object.apiVersion)}/${rendered.object.kind}`];
    if (!base) continue;
    const spec = field<Record<string, unknown>>(rendered.object, ...base);
    if (!spec || typeof spec !== 'object') continue;
    const namespace = rendered.object.metadata.namespace ?? 'default';
    const account = typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : 'default';
    const containers = [...listOf<{ image?: unknown }>(spec.initContainers), ...listOf<{ image?: unknown }>(spec.containers)];
    const agent = containers.some((c) => typeof c?.image === 'string' && APPCONFIG_AGENT_IMAGE.test(c.image));
    const usesCsi = listOf<Record<string, unknown>>(spec.volumes).some((v) => v && (v.csi !== undefined || v.persistentVolumeClaim !== undefined));
    const pia = associations.get(`${namespace}/${account}`);
    const irsa = index.get('', 'ServiceAccount', namespace, account)?.object.metadata.annotations?.['eks.amazonaws.com/role-arn'];
    const uses: { binding: string; needs: Need[] }[] = [];
    if (agent) uses.push({ binding: 'its AWS AppConfig Agent container', needs: [https('AppConfig Data (appconfigdata)')] });
    if (pia && (agent || !usesCsi)) uses.push({ binding: `PodIdentityAssociation ${pia.object.metadata.namespace}/${pia.object.metadata.name} (ServiceAccount ${account})`, needs: [podIdentityAgent, https('the AWS APIs its role is for')] });
    if (irsa && !pia && (agent || !usesCsi)) uses.push({ binding: `the IRSA role ${String(irsa)} of ServiceAccount ${account}`, needs: [https('STS (AssumeRoleWithWebIdentity) and the AWS APIs its role is for')] });
    if (uses.length === 0) continue;
    const labelsPath = base.length > 1 ? [...base.slice(0, -1), 'metadata', 'labels'] : ['metadata', 'labels'];
    const labels = field<Record<string, unknown>>(rendered.object, ...labelsPath) ?? {};
    const selecting = policies.filter(({ object }) => {
      if ((object.metadata.namespace ?? 'default') !== namespace) return false;
      const types = listOf<string>(field(object.spec, 'policyTypes'));
      const egress = types.length > 0 ? types.includes('Egress') : field(object.spec, 'egress') !== undefined;
      return egress && selectorMatches(field(object.spec, 'podSelector') ?? {}, labels);
    });
    if (selecting.length === 0) continue;
    const rules = selecting.flatMap(({ object }) => listOf<EgressRule>(field(object.spec, 'egress')));
    for (const use of uses) {
      const missing = use.needs.filter((need) => !need.allowed(rules));
      if (missing.length === 0) continue;
      const workload = rendered.object.metadata.name;
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'network/aws-egress',
          path: joinFieldPath([...base, 'serviceAccountName']),
          message:
            `${rendered.object.kind} ${namespace}/${workload} uses AWS through ${use.binding}, but the NetworkPolicies of namespace ${namespace} that select its pods ` +
            `(${selecting.map(({ object }) => object.metadata.name).sort().join(', ')}) allow no egress to ${missing.map((need) => need.what).join(' nor ')}; its AWS calls would time out`,
          fix: `declare the workload's AWS use in its team's config: awsEgress: [awsEgressFor(c, { name: '${workload}', podLabels: <its pod labels>, credentials: '${pia ? 'pod-identity' : 'irsa'}', services: [<the AWS APIs it calls>] })], which renders NetworkPolicy allow-aws-${workload}`,
        }),
      );
    }
  }
  return findings;
}
