import { checkReferences, selectorMatches } from '@flotilla/validate';
import { describe, expect, test } from 'vitest';
import { fleet } from '../index';
import { renderFleet } from '../testing';

/**
 * config-demo under team-a's default-deny egress (issue 15, low finding): its AppConfig Agent
 * sidecar must reach AppConfig Data over HTTPS and its credentials from the EKS Pod Identity Agent,
 * and nothing else of the team gets that HTTPS egress.
 */
describe.each(fleet.clusters.map((cluster) => [cluster.name] as const))('config-demo egress on cluster %s', (name) => {
  const { objects: all } = renderFleet(fleet, { clusters: [name] })[0]!;
  const deployment = all.find((o) => o.object.kind === 'Deployment' && o.object.metadata.name === 'config-demo')!.object as any;
  const namespace = deployment.metadata.namespace as string;
  const policies = all.filter((o) => o.object.kind === 'NetworkPolicy' && o.object.metadata.namespace === namespace).map((o) => o.object as any);
  /** Egress rules of every policy selecting pods with `labels`. */
  const egressFor = (labels: Record<string, string>) =>
    policies.filter((p) => (p.spec.policyTypes ?? []).includes('Egress') && selectorMatches(p.spec.podSelector, labels)).flatMap((p) => p.spec.egress ?? []);
  const allows = (rules: any[], cidr: string, port: number) =>
    rules.some((rule) => (rule.to ?? []).some((to: any) => to.ipBlock?.cidr === cidr) && (rule.ports ?? []).some((p: any) => p.port === port && (p.protocol ?? 'TCP') === 'TCP'));

  test('the namespace denies egress by default', () => {
    expect(policies.find((p) => p.metadata.name === 'default-deny')?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test("config-demo pods may reach AppConfig Data on 443 (the cluster's VPC endpoint, else the public endpoint) and the Pod Identity Agent on 80", () => {
    const rules = egressFor(deployment.spec.template.metadata.labels);
    const facts = fleet.clusters.find((c) => c.name === name)!;
    // prod's facts declare an appconfigdata interface endpoint (10.20.96.0/24); dev and staging use the public endpoint.
    expect(allows(rules, name === 'prod' ? '10.20.96.0/24' : '0.0.0.0/0', 443), facts.name).toBe(true);
    expect(allows(rules, '169.254.170.23/32', 80)).toBe(true);
  });

  test('validate finds a network path for every declared AWS use (network/aws-egress)', () => {
    expect(checkReferences(all).filter((f) => f.code === 'network/aws-egress')).toEqual([]);
  });

  test("the team's other pods get no HTTPS egress", () => {
    const others = all.filter((o) => o.object.kind === 'Deployment' && o.object.metadata.namespace === namespace && o.object.metadata.name !== 'config-demo');
    expect(others.length).toBeGreaterThan(0);
    for (const other of others) {
      const rules = egressFor((other.object as any).spec.template.metadata.labels);
      expect(allows(rules, '0.0.0.0/0', 443) || allows(rules, '10.20.96.0/24', 443)).toBe(false);
    }
  });
});
