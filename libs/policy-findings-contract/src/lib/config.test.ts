import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

describe('parseConfig', () => {
  it('accepts the shape the platform chart renders', () => {
    const config = parseConfig('{"schema":"flotilla.policy-findings/v1","account":"222222222222","region":"eu-north-1","clusters":[{"name":"prod","eksClusterName":"prod"}]}');
    expect(config.clusters).toEqual([{ name: 'prod', eksClusterName: 'prod' }]);
  });

  it('fails if the variable is missing or not JSON, naming the variable', () => {
    expect(() => parseConfig(undefined)).toThrow(/^POLICY_FINDINGS_CONFIG is not set; the platform chart sets it to/);
    expect(() => parseConfig('{')).toThrow(/^POLICY_FINDINGS_CONFIG is not JSON/);
  });

  it('lists every problem with the field, the value and the fix', () => {
    expect(() =>
      parseConfig(JSON.stringify({ schema: 'v0', account: '12', clusters: [{ name: 'Prod' }, { name: 'dev', endpoint: 'http://x' }, { name: 'dev' }] })),
    ).toThrow(
      'POLICY_FINDINGS_CONFIG: schema is "v0", expected "flotilla.policy-findings/v1"; account "12" is not a 12-digit AWS account id; ' +
        'clusters[0].name "Prod" is not a DNS label; clusters[1].endpoint "http://x" must be an https:// URL; ' +
        'clusters[1] sets only one of endpoint and certificateAuthorityData; set both, or neither to use eks:DescribeCluster; ' +
        "clusters[2].name 'dev' is listed twice",
    );
  });
});
