import { describe, expect, test } from 'vitest';
import { fleet } from '../index';
import { renderFleet } from '../testing';

/**
 * Controller namespaces (issue 15, part 5): default-deny, then only DNS, same-namespace traffic,
 * HTTPS where the controller calls the Kubernetes or AWS APIs, and webhook ports for the API server.
 */
const expected: Record<string, { https: boolean; podIdentity: boolean; webhookPorts: number[] }> = {
  'external-secrets': { https: true, podIdentity: true, webhookPorts: [10250] },
  'gatekeeper-system': { https: true, podIdentity: false, webhookPorts: [8443] },
  'crossplane-system': { https: true, podIdentity: true, webhookPorts: [9443] },
  reloader: { https: true, podIdentity: false, webhookPorts: [] },
  karpenter: { https: true, podIdentity: true, webhookPorts: [] },
  'ack-system': { https: true, podIdentity: true, webhookPorts: [] },
  metrics: { https: true, podIdentity: true, webhookPorts: [] },
  'cert-manager': { https: true, podIdentity: true, webhookPorts: [10250] },
};

describe.each(fleet.clusters.map((cluster) => [cluster.name] as const))('controller network policies on cluster %s', (name) => {
  const { objects: all } = renderFleet(fleet, { clusters: [name] })[0]!;
  const policies = (namespace: string) => all.filter((o) => o.object.kind === 'NetworkPolicy' && o.object.metadata.namespace === namespace).map((o) => o.object as any);

  test.each(Object.entries(expected))('%s denies by default and opens only what the controller needs', (namespace, { https, podIdentity, webhookPorts }) => {
    const rendered = policies(namespace);
    const byName = new Map(rendered.map((p) => [p.metadata.name, p.spec]));
    expect(byName.get('default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(byName.get('allow-dns')!.egress[0].to[0].podSelector).toEqual({ matchLabels: { 'k8s-app': 'kube-dns' } });
    expect(byName.has('allow-https-egress')).toBe(https);
    if (https) expect(byName.get('allow-https-egress')!.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] }]);
    // Controllers with AWS roles reach the node's Pod Identity Agent (link-local, port 80) for credentials.
    expect(byName.get('allow-pod-identity-agent')?.egress).toEqual(
      podIdentity ? [{ to: [{ ipBlock: { cidr: '169.254.170.23/32' } }, { ipBlock: { cidr: 'fd00:ec2::23/128' } }], ports: [{ port: 80, protocol: 'TCP' }] }] : undefined,
    );
    const webhook = byName.get('allow-webhooks-from-api-server');
    expect(webhook?.ingress[0].ports.map((p: { port: number }) => p.port) ?? []).toEqual(webhookPorts);
    // nothing else is opened: every ingress rule is same-namespace, a webhook port, or the metrics
    // collector's pods on the named metrics port (allow-scrape-<job>, charts/platform/metrics)
    const collector = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'metrics' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'otel-collector', 'app.kubernetes.io/instance': 'collector' } } };
    for (const [policy, spec] of byName) {
      for (const rule of spec.ingress ?? []) {
        if (policy.startsWith('allow-scrape-')) {
          expect(rule.from).toEqual([collector]);
          expect(rule.ports.map((p: { port: unknown }) => typeof p.port)).toEqual(['string']);
        } else expect(rule.from ? rule.from : rule.ports.map((p: { port: number }) => p.port)).toEqual(rule.from ? [{ podSelector: {} }] : webhookPorts);
      }
    }
  });
});
