// Rebuilds libs/instance-types/data/ec2-instance-types.json from the EC2 DescribeInstanceTypes API.
// Usage: nx run instance-types:refresh --region eu-west-1 [--current-generation-only] [--out <file>]
// The region falls back to AWS_REGION, then AWS_DEFAULT_REGION; credentials come from the default
// AWS SDK chain (env, profile, SSO, instance role) and need ec2:DescribeInstanceTypes.
import { writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CATALOG_PATH, serializeCatalog } from '../src/lib/catalog';
import { fetchCatalog } from '../src/lib/refresh-catalog';
import { findRepoRoot } from '@flotilla/model';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      region: { type: 'string' },
      'current-generation-only': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new Error('no region given; pass --region <region> (for example --region eu-west-1) or set AWS_REGION');
  }
  const out = values.out ? resolve(values.out) : CATALOG_PATH;
  const client = new EC2Client({ region });
  const { catalog, skipped } = await fetchCatalog(client, { region, currentGenerationOnly: values['current-generation-only'] });
  writeFileSync(out, serializeCatalog(catalog));
  for (const { name, reason } of skipped) console.warn(`skipped ${name}: ${reason}`);
  console.log(`wrote ${catalog.instanceTypes.length} instance types of ${region} to ${relative(findRepoRoot(), out)}`);
}

main().catch((error: unknown) => {
  console.error(`refresh failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
