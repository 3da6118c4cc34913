import { parser } from '@prometheus-io/lezer-promql';
import { parse } from 'yaml';
import { findingFor, type Finding } from '@flotilla/model';
import { field, listOf, type ClusterIndex } from './cluster-index';
import { KNOWN_METRICS, exporterOf } from './known-metrics';
import { closest } from './suggest';

/** A PromQL syntax error: the offset and the text around it. */
export interface PromqlProblem {
  readonly offset: number;
  readonly near: string;
}

/**
 * Parses PromQL with Prometheus' own grammar (`@prometheus-io/lezer-promql`, the parser of the
 * Prometheus UI). Lezer recovers from errors by inserting error nodes, so the first one is the error.
 */
export function promqlProblem(expr: string): PromqlProblem | undefined {
  let problem: PromqlProblem | undefined;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (problem) return false;
      if (node.type.isError) {
        problem = { offset: node.from, near: expr.slice(Math.max(0, node.from - 20), node.from + 20) || '(end of expression)' };
        return false;
      }
      return undefined;
    },
  });
  return problem;
}

/** Metric names of the vector selectors of an expression (`foo{…}`, `foo[5m]`). */
export function metricNamesOf(expr: string): string[] {
  const names = new Set<string>();
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') names.add(expr.slice(node.from, node.to));
    },
  });
  return [...names];
}

const GO_DURATION = /^((\d+)(ms|s|m|h|d|w|y))+$/;

/**
 * Every alerting rule of an AMP RuleGroupsNamespace (`spec.configuration`, a Prometheus rule file)
 * must parse as PromQL, use metrics the platform's exporters publish (KNOWN_METRICS) and carry a
 * valid `for:`; AMP rejects a broken file as a whole, and an unknown metric never fires.
 */
export function checkAlertRuleExprs(index: ClusterIndex): Finding[] {
  const findings: Finding[] = [];
  const all = Object.values(KNOWN_METRICS).flat();
  for (const namespace of index.ofKind('prometheusservice.services.k8s.aws', 'RuleGroupsNamespace')) {
    const text = field<unknown>(namespace.object.spec, 'configuration');
    if (typeof text !== 'string') continue;
    let file: unknown;
    try {
      file = parse(text);
    } catch (error) {
      findings.push(findingFor(namespace, { severity: 'error', code: 'rules/invalid-yaml', path: 'spec.configuration', message: `is not a YAML rule file: ${(error as Error).message}`, fix: 'render the rule file with a YAML serializer' }));
      continue;
    }
    listOf<unknown>(field(file, 'groups')).forEach((group, g) => {
      listOf<Record<string, unknown>>(field(group, 'rules')).forEach((rule, r) => {
        const name = String(rule?.alert ?? rule?.record ?? `rule ${r}`);
        const path = `spec.configuration groups[${g}].rules[${r}]`;
        const at = (code: string, message: string, fix: string) => findingFor(namespace, { severity: 'error', code, path, message: `${String(field(group, 'name'))}/${name}: ${message}`, fix });
        const expr = rule?.expr;
        if (typeof expr !== 'string' || expr.trim() === '') {
          findings.push(at('rules/invalid-promql', 'has no expr', 'give the rule a PromQL expression'));
          return;
        }
        const problem = promqlProblem(expr);
        if (problem) {
          findings.push(at('rules/invalid-promql', `expr is not valid PromQL at offset ${problem.offset} (near "${problem.near}")`, 'fix the expression; check it with promtool check rules'));
          return;
        }
        for (const metric of metricNamesOf(expr)) {
          if (exporterOf(metric)) continue;
          const guess = closest(metric, all);
          findings.push(
            at(
              'rules/unknown-metric',
              `expr reads ${metric}, which none of the scraped exporters publishes (${Object.keys(KNOWN_METRICS).join(', ')}), so the alert can never fire`,
              guess ? `did you mean ${guess}?` : 'use a metric the exporter documents, and add new exporters to KNOWN_METRICS',
            ),
          );
        }
        if (rule?.for !== undefined && (typeof rule.for !== 'string' || !GO_DURATION.test(rule.for))) {
          findings.push(at('rules/invalid-for', `for: ${JSON.stringify(rule.for)} is not a Prometheus duration`, 'write it like 10m or 1h30m'));
        }
      });
    });
  }
  return findings;
}
