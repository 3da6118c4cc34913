import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleet } from '../index';

// A cluster's account id and region are written once, in its facts.ts; every other file derives
// them (and ARNs, registries, bucket names) from `c`. This reads the cluster folders as a reviewer would.
const CLUSTERS = join(__dirname, 'clusters');
const FACTS_FILE = 'facts.ts';

/** The non-test sources of a cluster folder, by file name. */
function clusterSources(cluster: string): Map<string, string> {
  const folder = join(CLUSTERS, cluster);
  return new Map(
    readdirSync(folder)
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => [file, readFileSync(join(folder, file), 'utf8')]),
  );
}

/** Every place a cluster's files repeat a fact, as `<file>:<line>: <what>` (empty when each fact is written once, in facts.ts). */
export function repeatedFacts(sources: ReadonlyMap<string, string>, facts: { account: string; region: string }): string[] {
  const found: string[] = [];
  const counts = { account: 0, region: 0 };
  for (const [file, text] of sources) {
    text.split('\n').forEach((line, index) => {
      const at = `${file}:${index + 1}`;
      for (const fact of ['account', 'region'] as const) {
        const occurrences = line.split(facts[fact]).length - 1;
        if (occurrences === 0) continue;
        counts[fact] += occurrences;
        if (file !== FACTS_FILE) found.push(`${at}: repeats the ${fact} '${facts[fact]}'; use c.${fact} (or c.arn, c.registry, c.bucketName)`);
      }
      if (/arn:aws/.test(line)) found.push(`${at}: writes an ARN prefix 'arn:aws'; use c.arn(service, resource) or c.roleArn(name)`);
      if (/\.dkr\.ecr\./.test(line) && file !== FACTS_FILE) found.push(`${at}: writes an ECR registry host; use c.registry`);
    });
  }
  for (const fact of ['account', 'region'] as const) {
    if (counts[fact] !== 1) found.push(`${FACTS_FILE}: the ${fact} '${facts[fact]}' is written ${counts[fact]} times in the folder; declare it once, in ${FACTS_FILE}`);
  }
  return found;
}

describe.each(fleet.clusters.map((cluster) => [cluster.name, cluster] as const))('cluster %s', (name, cluster) => {
  it('writes its account id and region once, in facts.ts, and no ARN prefix or registry host anywhere', () => {
    expect(repeatedFacts(clusterSources(name), cluster)).toEqual([]);
  });
});

describe('the repeated-facts check', () => {
  const facts = { account: '111111111111', region: 'eu-north-1' };
  const clean = new Map([
    ['facts.ts', "export const facts = new ClusterFacts({ account: '111111111111', region: 'eu-north-1' });"],
    ['appconfig.ts', "deadLetterTargetArn: c.arn('sqs', 'dlq'),"],
  ]);

  it('passes a folder that writes each fact once, in facts.ts', () => {
    expect(repeatedFacts(clean, facts)).toEqual([]);
  });

  it('fails if another file repeats the account, the region, an ARN prefix or the registry host, naming file and line', () => {
    const sources = new Map([
      ...clean,
      ['tenants.ts', "const a = 1;\nmasterUserSecretArn: 'arn:aws:secretsmanager:eu-north-1:111111111111:secret:x',"],
      ['platform-configs.ts', "allowedRepositories: ['111111111111.dkr.ecr.eu-north-1.amazonaws.com/'],"],
    ]);
    expect(repeatedFacts(sources, facts)).toEqual([
      "tenants.ts:2: repeats the account '111111111111'; use c.account (or c.arn, c.registry, c.bucketName)",
      "tenants.ts:2: repeats the region 'eu-north-1'; use c.region (or c.arn, c.registry, c.bucketName)",
      "tenants.ts:2: writes an ARN prefix 'arn:aws'; use c.arn(service, resource) or c.roleArn(name)",
      "platform-configs.ts:1: repeats the account '111111111111'; use c.account (or c.arn, c.registry, c.bucketName)",
      "platform-configs.ts:1: repeats the region 'eu-north-1'; use c.region (or c.arn, c.registry, c.bucketName)",
      'platform-configs.ts:1: writes an ECR registry host; use c.registry',
      "facts.ts: the account '111111111111' is written 3 times in the folder; declare it once, in facts.ts",
      "facts.ts: the region 'eu-north-1' is written 3 times in the folder; declare it once, in facts.ts",
    ]);
  });

  it('fails if the facts do not declare the account at all', () => {
    expect(repeatedFacts(new Map([['facts.ts', "region: 'eu-north-1'"]]), facts)).toEqual([
      "facts.ts: the account '111111111111' is written 0 times in the folder; declare it once, in facts.ts",
    ]);
  });
});
