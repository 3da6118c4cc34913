import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '@flotilla/model';
import { parseInstanceTypesMarkdown, serializeReference, type InstanceTypeReference } from './instance-types';

// Two entries in the exact shape of Karpenter's generated reference page.
const PAGE = `---
title: "Instance Types"
---
<!-- this document is generated from hack/docs/instancetypes_gen/main.go -->
## a1 Family
### \`a1.medium\`
#### Labels
 | Label | Value |
 |--|--|
 |karpenter.k8s.aws/instance-cpu|1|
 |kubernetes.io/arch|arm64|
 |node.kubernetes.io/instance-type|a1.medium|
#### Resources
 | Resource | Quantity |
 |--|--|
 |cpu|940m|
 |memory|1392Mi|
 |pods|8|
## m7i Family
### \`m7i.large\`
#### Labels
 | Label | Value |
 |--|--|
 |kubernetes.io/arch|amd64|
 |node.kubernetes.io/instance-type|m7i.large|
#### Resources
 | Resource | Quantity |
 |--|--|
 |cpu|1930m|
 |memory|6903Mi|
`;

describe("Karpenter's instance-type reference page", () => {
  it('parses into labels and allocatable resources per instance type', () => {
    expect(parseInstanceTypesMarkdown(PAGE, 'instance-types.md')).toEqual({
      'a1.medium': {
        labels: { 'karpenter.k8s.aws/instance-cpu': '1', 'kubernetes.io/arch': 'arm64', 'node.kubernetes.io/instance-type': 'a1.medium' },
        allocatable: { cpu: '940m', memory: '1392Mi', pods: '8' },
      },
      'm7i.large': {
        labels: { 'kubernetes.io/arch': 'amd64', 'node.kubernetes.io/instance-type': 'm7i.large' },
        allocatable: { cpu: '1930m', memory: '6903Mi' },
      },
    });
  });

  it('refuses a page without instance types or with a type missing a table', () => {
    expect(() => parseInstanceTypesMarkdown('# nothing here\n', 'x.md')).toThrow('x.md: no instance types found');
    expect(() => parseInstanceTypesMarkdown(PAGE.replace(/#### Resources[\s\S]*?## m7i/, '## m7i'), 'x.md')).toThrow('x.md: instance type a1.medium has no Labels or no Resources table');
  });

  it('writes the vendored reference in its own format byte for byte', () => {
    const path = join(findRepoRoot(__dirname), 'libs/upstream/ec2/instance-types.json');
    const text = readFileSync(path, 'utf8');
    const reference = JSON.parse(text) as InstanceTypeReference;
    expect(Object.keys(reference.instanceTypes)).toHaveLength(1336);
    expect(serializeReference(reference)).toBe(text);
  });
});
