import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './testing';

// The layers (application → units → constructs → engine → model) are enforced by @nx/enforce-module-boundaries
// with the workspace's own eslint.config.mjs and project tags. Each probe is linted as if it were a file of the
// named project (ESLint's lintText with a path; nothing is written). Probes avoid import cycles, which the rule
// reports first.
const eslint = new ESLint({ cwd: repoRoot });

async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(repoRoot, file) });
  return result!.messages.filter((message) => message.ruleId === '@nx/enforce-module-boundaries').map((message) => message.message);
}

describe('module boundaries', () => {
  it.each([
    ['the engine importing a unit', 'libs/diff/src/lib/probe.ts', "import { teams } from '@flotilla/charts/platform/teams';\nexport const probe = teams;\n", /tagged with "type:engine" can only depend on libs tagged with "type:engine", "type:model"/],
    ['the model importing the engine', 'libs/appconfig-contract/src/lib/probe.ts', "import { guardDiff } from '@flotilla/diff';\nexport const probe = guardDiff;\n", /tagged with "type:model" can only depend on libs tagged with "type:model"/],
    ['a construct importing a unit', 'libs/workloads/src/lib/probe.ts', "import { nvidiaDevicePlugin } from '@flotilla/charts/platform/nvidia-device-plugin';\nexport const probe = nvidiaDevicePlugin;\n", /tagged with "type:construct" can only depend on/],
    ['a unit importing an application by path', 'charts/platform/appconfig-sync/src/lib/probe.ts', "import { handler } from '../../../../../apps/appconfig-sync/src';\nexport const probe = handler;\n", /Projects cannot be imported by a relative or absolute path/],
  ])('fails lint for %s', async (_what, file, source, message) => {
    const errors = await boundaryErrors(file, source);
    expect(errors).toEqual([expect.stringMatching(message)]);
  });

  it('passes the right-way imports: a unit using a construct, the engine and the model', async () => {
    const source = "import { Team } from '@flotilla/workloads';\nimport { renderUnit } from '@flotilla/core';\nimport type { Unit } from '@flotilla/config';\nexport const probe: [unknown, unknown, Unit?] = [Team, renderUnit];\n";
    expect(await boundaryErrors('charts/platform/teams/src/lib/probe.ts', source)).toEqual([]);
  });

  it('keeps the generated APIs free of imports of ours (they are regenerated, so lint skips them; this reads them)', () => {
    const offenders: string[] = [];
    const visit = (dir: string) => {
      for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory()) visit(path);
        else if (entry.name.endsWith('.ts') && /from '@flotilla\/(?!k8s-apis\/)/.test(readFileSync(join(repoRoot, path), 'utf8'))) offenders.push(path);
      }
    };
    visit('libs/k8s-apis/src');
    expect(offenders).toEqual([]);
  });
});
