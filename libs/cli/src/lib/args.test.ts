import { describe, expect, it } from 'vitest';
import { parseArgs } from './args';

describe('parseArgs', () => {
  it('collects repeated value flags, switches and positionals', () => {
    const parsed = parseArgs(['--cluster', 'dev', '--cluster=prod', '--check', 'extra'], { command: 'synth', valueFlags: ['cluster'], switchFlags: ['check'] });
    expect(parsed.flags.get('cluster')).toEqual(['dev', 'prod']);
    expect([...parsed.switches]).toEqual(['check']);
    expect(parsed.positionals).toEqual(['extra']);
  });

  it('fails if an option is unknown, naming the command help', () => {
    expect(() => parseArgs(['--clustr', 'dev'], { command: 'synth', valueFlags: ['cluster'] })).toThrow(
      "unknown option --clustr for 'flotilla synth'; see 'flotilla synth --help'",
    );
  });

  it('fails if a value flag has no value', () => {
    expect(() => parseArgs(['--cluster'], { command: 'synth', valueFlags: ['cluster'] })).toThrow(/--cluster needs a value/);
    expect(() => parseArgs(['--cluster', '--check'], { command: 'synth', valueFlags: ['cluster'], switchFlags: ['check'] })).toThrow(/--cluster needs a value/);
  });
});
