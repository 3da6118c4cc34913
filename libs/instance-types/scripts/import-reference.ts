// Copies the Karpenter reference data (the offline stand-in for DescribeInstanceTypes, vendored in
// libs/upstream/ec2/instance-types.json, see libs/upstream/SOURCES.md) into
// libs/instance-types/data/ec2-instance-types.json in the project's deterministic format.
// Usage: nx run instance-types:import-reference [--from <path>]
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CATALOG_PATH, parseCatalog, serializeCatalog } from '../src/lib/catalog';
import { findRepoRoot } from '@flotilla/model';

const repoRoot = findRepoRoot();
const { values } = parseArgs({ options: { from: { type: 'string' } } });
const from = values.from ? resolve(values.from) : resolve(repoRoot, 'libs/upstream/ec2/instance-types.json');
const reference = parseCatalog(readFileSync(from, 'utf8'), from);
const catalog = {
  source: { ...reference.source, generatedBy: 'nx run instance-types:import-reference' },
  instanceTypes: reference.instanceTypes,
};
writeFileSync(CATALOG_PATH, serializeCatalog(catalog));
console.log(`wrote ${catalog.instanceTypes.length} instance types to ${relative(repoRoot, CATALOG_PATH)}`);
