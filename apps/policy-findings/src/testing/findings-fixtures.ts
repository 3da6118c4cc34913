// Shared by the in-process SDK test, the bundle test and the cold-start script.
import { FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY, type FakeAws } from '../../tools/fake-aws';
import { FakeKube, type FakeConstraint } from '../../tools/fake-kube';
import { CONFIG_SCHEMA, type PolicyFindingsConfig } from '@flotilla/policy-findings-contract';

export const ACCOUNT = '222222222222';
export const REGION = 'eu-north-1';

export function fakeCluster(clusterName: string): FakeKube {
  return new FakeKube({ clusterName, region: REGION, accessKeyId: FAKE_ACCESS_KEY_ID, secretAccessKey: FAKE_SECRET_ACCESS_KEY });
}

/** prod is found through eks:DescribeCluster, dev through the typed config. */
export function twoClusterConfig(aws: FakeAws, prod: FakeKube, dev: FakeKube): PolicyFindingsConfig {
  aws.clusters.set('prod-eks', { endpoint: prod.url, certificateAuthorityData: prod.caData });
  return {
    schema: CONFIG_SCHEMA,
    account: ACCOUNT,
    region: REGION,
    clusters: [
      { name: 'prod', eksClusterName: 'prod-eks' },
      { name: 'dev', endpoint: dev.url, certificateAuthorityData: dev.caData },
    ],
  };
}

export const AUDITED = '2026-12-04T10:00:00Z';

export function allowedRepos(violations: { name: string; namespace: string; message?: string }[], extra: Partial<FakeConstraint> = {}): FakeConstraint {
  return {
    kind: 'FlotillaAllowedRepos',
    name: 'allowed-repositories',
    enforcementAction: 'deny',
    status: {
      auditTimestamp: AUDITED,
      totalViolations: violations.length,
      violations: violations.map((v) => ({
        kind: 'Deployment',
        group: 'apps',
        version: 'v1',
        name: v.name,
        namespace: v.namespace,
        message: v.message ?? `container ${v.name} uses docker.io/library/nginx, which is not an allowed repository`,
        enforcementAction: 'deny',
      })),
    },
    ...extra,
  };
}
