import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACK_SERVICES, CROSSPLANE_PACKAGES, GATEWAY_API, VERSIONS, ackChart, type AddonVersion } from './versions';
import { findRepoRoot } from '@flotilla/model';

const repoRoot = () => findRepoRoot(__dirname);

const sourcesFile = resolve(repoRoot(), '../shared/crds/SOURCES.md');

/** `| \`crds/<folder>/\` … | <repo> | v<version> (date) |` → folder → version without `v`. */
function pinnedCrdVersions(): Map<string, string> {
  const versions = new Map<string, string>();
  for (const line of readFileSync(sourcesFile, 'utf8').split('\n')) {
    const match = /^\| `crds\/([a-z0-9/-]+)\/`[^|]*\| [^|]+\| v(\d+\.\d+\.\d+)/.exec(line);
    if (match) versions.set(match[1], match[2]);
  }
  return versions;
}

describe.skipIf(!existsSync(sourcesFile))('version catalog against ../shared/crds/SOURCES.md', () => {
  // Read when a test runs: vitest still collects a skipped suite, and the file may be absent (worktrees, CI).
  let versions: Map<string, string> | undefined;
  const pinned = { get: (folder: string) => (versions ??= pinnedCrdVersions()).get(folder) };

  it.each([
    ['external-secrets', VERSIONS.externalSecrets],
    ['karpenter', VERSIONS.karpenter],
    ['gatekeeper', VERSIONS.gatekeeper],
    ['crossplane', VERSIONS.crossplane],
    ['secrets-store-csi', VERSIONS.secretsStoreCsi],
  ] as [string, AddonVersion][])('pins %s to the CRD version the schemas come from', (folder, addon) => {
    expect(addon.provenance).toBe('crds-sources');
    expect(addon.source.version).toBe(pinned.get(folder));
  });

  it.each(ACK_SERVICES)('pins the ACK %s controller chart to its CRD version', (service) => {
    expect(ackChart(service).source).toEqual({
      type: 'oci',
      url: `oci://public.ecr.aws/aws-controllers-k8s/${service}-chart`,
      version: pinned.get(`ack/${service}`),
    });
  });

  it('pins the Crossplane AWS IAM provider package and Gateway API to their CRD versions', () => {
    expect(CROSSPLANE_PACKAGES.providerAwsIam.version).toBe(`v${pinned.get('crossplane-provider-aws')}`);
    expect(GATEWAY_API.tag).toBe(`v${pinned.get('gateway-api')}`);
  });
});

describe('version catalog', () => {
  it('says why for every version chosen here rather than taken from the CRD sources', () => {
    for (const [name, addon] of Object.entries(VERSIONS) as [string, AddonVersion][]) {
      if (addon.provenance === 'chosen') expect(addon.note, name).toMatch(/\w{10,}/);
    }
  });

  it('uses exact versions, never ranges', () => {
    for (const addon of Object.values(VERSIONS) as AddonVersion[]) expect(addon.source.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
