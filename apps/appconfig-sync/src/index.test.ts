import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('appconfig-sync entry point', () => {
  it('does not load the AWS SDK when imported, and loads it on the first invocation', () => {
    // GIVEN a fresh process that imports index.ts through tsx
    const script = `
      const api = require(${JSON.stringify(path.join(__dirname, 'index.ts'))});
      const loaded = () => Object.keys(require.cache).filter((f) => f.includes('@aws-sdk')).length;
      const before = loaded();
      api.handler({}).then((outcome) => process.stdout.write(JSON.stringify({ before, after: loaded(), status: outcome.status })));
    `;
    const tsx = path.resolve(__dirname, '../../../node_modules/.bin/tsx');
    const out = execFileSync(tsx, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1' } });
    const { before, after, status } = JSON.parse(out.trim().split('\n').at(-1)!) as { before: number; after: number; status: string };
    // THEN no SDK module was loaded by the import; the (rejected) invocation loaded the handler and the SDK
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
    expect(status).toBe('rejected');
  });
});
