import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createZip, readZip } from './zip';

describe('createZip', () => {
  it('gives byte-identical zips for the same entries, so the artifact name (its hash) is stable', async () => {
    // GIVEN the same two entries, built twice a moment apart
    const entries = [
      { name: 'index.js', data: Buffer.from('exports.handler = async () => 1;\n') },
      { name: 'THIRD_PARTY_NOTICES.txt', data: Buffer.from('none\n') },
    ];
    const first = await createZip(entries);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await createZip(entries);
    // THEN the bytes (and so the SHA-256 the zip is named by) are the same
    expect(createHash('sha256').update(second).digest('hex')).toBe(createHash('sha256').update(first).digest('hex'));
    // AND the zip reads back to exactly those entries, sorted by name (the order is part of the determinism)
    expect(readZip(first).map((entry) => [entry.name, Buffer.from(entry.data).toString('utf8')])).toEqual(
      [...entries].sort((a, b) => (a.name < b.name ? -1 : 1)).map((entry) => [entry.name, entry.data.toString('utf8')]),
    );
  });

  it('changes when content changes', async () => {
    const a = await createZip([{ name: 'index.js', data: Buffer.from('a') }]);
    const b = await createZip([{ name: 'index.js', data: Buffer.from('b') }]);
    expect(a.equals(b)).toBe(false);
  });
});
