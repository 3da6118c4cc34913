import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { defaultLatencyBudget, formatDuration, latencyBudget, latencyBudgetTable } from './latency-budget';

describe('latency budget', () => {
  it('adds up the default steps to 3m50s with no deployment time and no bake', () => {
    const budget = defaultLatencyBudget();
    expect(budget.steps.map((s) => [s.step, formatDuration(s.worstCase)])).toEqual([
      ['AppConfig deployment (strategy duration)', '0s'],
      ['AppConfig final bake', '0s'],
      ['Extension → EventBridge → Lambda invoke', '30s'],
      ['Lambda: read version, hash, PutSecretValue', '15s'],
      ['External Secrets refresh', '1m'],
      ['Reloader reacts', '5s'],
      ['Rolling restart of the workload', '2m'],
    ]);
    expect(formatDuration(budget.total)).toBe('3m50s');
  });

  it('grows by the predefined AllAtOnce bake and a longer refresh interval when configured', () => {
    const budget = latencyBudget({ finalBakeTime: Duration.minutes(10), refreshInterval: Duration.minutes(5) });
    expect(formatDuration(budget.total)).toBe('17m50s');
  });

  it('renders a Markdown table with a total row', () => {
    const table = latencyBudgetTable(defaultLatencyBudget()).split('\n');
    expect(table[0]).toBe('| Step | Worst case | Basis |');
    expect(table.at(-1)).toBe('| **Total** | **3m50s** | |');
    expect(table).toHaveLength(10);
  });
});

describe('README', () => {
  it('carries the current default budget table', () => {
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8');
    expect(readme).toContain(latencyBudgetTable(defaultLatencyBudget()));
  });
});

describe('latency budget under the phased prod strategy', () => {
  it('adds the linear rollout (20 % every 2 min = 10 min) and the 10 min bake: 23m50s until every pod runs the new configuration', async () => {
    const { DEFAULT_DEPLOYMENT_STRATEGIES } = await import('./deployment-strategy');
    const prod = DEFAULT_DEPLOYMENT_STRATEGIES.prod;
    const budget = latencyBudget({ deploymentDuration: prod.deploymentDuration, finalBakeTime: prod.finalBakeTime });
    expect(budget.steps.slice(0, 2).map((s) => formatDuration(s.worstCase))).toEqual(['10m', '10m']);
    expect(formatDuration(budget.total)).toBe('23m50s');
    // The root README shows this table in its AppConfig section.
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../../../README.md'), 'utf8');
    expect(readme).toContain(latencyBudgetTable(budget));
  });
});
