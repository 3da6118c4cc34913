import { DescribeInstanceTypesCommand, type DescribeInstanceTypesCommandInput, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { serializeCatalog } from './catalog';
import { fetchCatalog } from './refresh-catalog';
import { admittedInstanceTypes } from './requirements';
import { g5Xlarge, m6gLarge, p5e48xlarge, t2Micro } from '../testing';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

describe('fetchCatalog', () => {
  it('pages through DescribeInstanceTypes and writes a sorted catalog', async () => {
    // GIVEN two pages, the second holding a capacity-block-only type
    const tokens: (string | undefined)[] = [];
    ec2.on(DescribeInstanceTypesCommand).callsFake((input: DescribeInstanceTypesCommandInput) => {
      // the paginator reuses its input object, so record the token at call time
      tokens.push(input.NextToken);
      return input.NextToken === 'page-2'
        ? { InstanceTypes: [p5e48xlarge, m6gLarge] }
        : { InstanceTypes: [t2Micro, g5Xlarge], NextToken: 'page-2' };
    });

    // WHEN the catalog is fetched
    const { catalog, skipped } = await fetchCatalog(new EC2Client({ region: 'eu-west-1' }), { region: 'eu-west-1' });

    // THEN both pages were read with Karpenter's filters and the catalog is sorted by name
    const calls = ec2.commandCalls(DescribeInstanceTypesCommand);
    expect(tokens).toEqual([undefined, 'page-2']);
    expect(calls).toHaveLength(2);
    expect(calls[0].args[0].input.MaxResults).toBe(100);
    expect(calls[0].args[0].input.Filters).toEqual([
      { Name: 'supported-virtualization-type', Values: ['hvm'] },
      { Name: 'processor-info.supported-architecture', Values: ['x86_64', 'arm64'] },
      { Name: 'supported-usage-class', Values: ['on-demand', 'spot'] },
    ]);
    expect(catalog.instanceTypes.map((type) => type.name)).toEqual(['g5.xlarge', 'm6g.large', 't2.micro']);
    expect(skipped).toEqual([{ name: 'p5e.48xlarge', reason: 'usage classes ["capacity-block"] offer neither on-demand nor spot' }]);
    expect(catalog.source).toMatchObject({ api: 'ec2:DescribeInstanceTypes', region: 'eu-west-1', generatedBy: 'nx run instance-types:refresh' });
  });

  it('adds the current-generation filter when asked', async () => {
    ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [m6gLarge] });
    await fetchCatalog(new EC2Client({ region: 'us-east-1' }), { region: 'us-east-1', currentGenerationOnly: true });
    expect(ec2.commandCalls(DescribeInstanceTypesCommand)[0].args[0].input.Filters).toContainEqual({ Name: 'current-generation', Values: ['true'] });
  });

  it('writes the same bytes whatever order the API returns types in', async () => {
    ec2.on(DescribeInstanceTypesCommand).resolvesOnce({ InstanceTypes: [t2Micro, g5Xlarge, m6gLarge] }).resolvesOnce({ InstanceTypes: [m6gLarge, g5Xlarge, t2Micro] });
    const client = new EC2Client({ region: 'eu-west-1' });
    const first = serializeCatalog((await fetchCatalog(client, { region: 'eu-west-1' })).catalog);
    const second = serializeCatalog((await fetchCatalog(client, { region: 'eu-west-1' })).catalog);
    expect(second).toBe(first);
    expect(first.split('\n')[2]).toMatch(/^"g5\.xlarge":\{"allocatable":\{"cpu":"3920m",/);
  });

  it('produces a catalog admittedInstanceTypes can count, with capacity types from the API', async () => {
    // GIVEN m6g.large offered on-demand only in this region
    ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [g5Xlarge, t2Micro, { ...m6gLarge, SupportedUsageClasses: ['on-demand'] }] });
    const { catalog } = await fetchCatalog(new EC2Client({ region: 'eu-west-1' }), { region: 'eu-west-1' });
    // WHEN a spot pool is counted THEN the on-demand-only type has no matching offering and drops out
    expect(admittedInstanceTypes([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }], { catalog }).names).toEqual(['g5.xlarge', 't2.micro']);
    expect(admittedInstanceTypes([{ key: 'karpenter.k8s.aws/instance-hypervisor', operator: 'In', values: ['nitro'] }], { catalog }).names).toEqual(['g5.xlarge', 'm6g.large']);
  });
});
