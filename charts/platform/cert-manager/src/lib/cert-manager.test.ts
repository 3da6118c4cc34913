import { describe, expect, it } from 'vitest';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import { certManager } from './cert-manager';
import { clusterIssuer } from './cluster-issuer';

const cluster = fixtureCluster('dev', [], { account: '111111111111' });
const dnsZones = [{ zone: 'dev.example.com', hostedZoneId: 'Z0DEV1EXAMPLE2COM3456' }];

describe('certManager', () => {
  it('renders a Pod Identity unit, then the release with its CRDs, Gateway API support and DNS checks through the cluster resolver', () => {
    const units = certManager({ dnsZones });
    expect(units.map((unit) => [unit.name, unit.dependsOn])).toEqual([
      ['cert-manager.identity', ['ack.iam', 'ack.eks']],
      ['cert-manager', ['cert-manager.identity']],
    ]);
    const release = findObject(renderUnits(units, cluster).get('cert-manager')!, 'HelmRelease');
    expect(release.metadata.annotations).toEqual({ 'flotilla.dev/installs-crds': 'acme.cert-manager.io,cert-manager.io' });
    expect(release.spec).toMatchObject({
      chart: { spec: { chart: 'cert-manager', version: 'v1.21.1' } },
      values: {
        crds: { enabled: true, keep: true },
        serviceAccount: { create: true, name: 'cert-manager' },
        config: { apiVersion: 'controller.config.cert-manager.io/v1alpha1', kind: 'ControllerConfiguration', enableGatewayAPI: true },
        dns01RecursiveNameserversOnly: true,
      },
    });
  });

  it('may write only _acme-challenge TXT records in the listed hosted zones', () => {
    const role = findObject(renderUnits(certManager({ dnsZones }), cluster).get('cert-manager.identity')!, 'Role').spec as { inlinePolicies: Record<string, string> };
    expect(JSON.parse(role.inlinePolicies['cert-manager']!).Statement).toEqual([
      { Sid: 'ReadChangeStatus', Effect: 'Allow', Action: 'route53:GetChange', Resource: 'arn:aws:route53:::change/*' },
      {
        Sid: 'WriteChallengeRecords',
        Effect: 'Allow',
        Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
        Resource: 'arn:aws:route53:::hostedzone/Z0DEV1EXAMPLE2COM3456',
        Condition: {
          'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
          'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.*'] },
        },
      },
    ]);
  });

  it('the namespace denies by default and opens HTTPS egress (Route 53, ACME) and the webhook port', () => {
    const policies = renderUnits(certManager({ dnsZones }), cluster).get('cert-manager')!.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name);
    expect(policies.sort()).toEqual(['allow-dns', 'allow-https-egress', 'allow-pod-identity-agent', 'allow-same-namespace', 'allow-webhooks-from-api-server', 'default-deny']);
  });

  it('fails without zones, with a bad zone or hosted zone id', () => {
    expect(() => certManager({ dnsZones: [] })).toThrow(/certManager dnsZones is empty/);
    expect(() => certManager({ dnsZones: [{ zone: 'example', hostedZoneId: 'Z0DEV1EXAMPLE2COM3456' }] })).toThrow("certManager dnsZones[0].zone 'example' is not a DNS name such as 'example.com'");
    expect(() => certManager({ dnsZones: [{ zone: 'example.com', hostedZoneId: 'zone-1' }] })).toThrow("certManager dnsZones[0].hostedZoneId 'zone-1' is not a Route 53 hosted zone id");
  });
});

describe('clusterIssuer', () => {
  it("is Let's Encrypt with one DNS-01 Route 53 solver per zone, selected by the zone, in the cluster's region", () => {
    const issuer = findObject(renderUnit(clusterIssuer({ email: 'platform-team@example.com', dnsZones }), cluster), 'ClusterIssuer');
    expect(issuer.metadata.name).toBe('letsencrypt');
    expect(issuer.spec).toEqual({
      acme: {
        server: 'https://acme-v02.api.letsencrypt.org/directory',
        email: 'platform-team@example.com',
        privateKeySecretRef: { name: 'letsencrypt-account-key' },
        solvers: [{ selector: { dnsZones: ['dev.example.com'] }, dns01: { route53: { region: 'eu-north-1', hostedZoneID: 'Z0DEV1EXAMPLE2COM3456' } } }],
      },
    });
  });

  it('fails for an email that is not one', () => {
    expect(() => clusterIssuer({ email: 'platform', dnsZones })).toThrow("clusterIssuer email 'platform' is not an email address");
  });
});
