import { stringify } from 'yaml';
import { Duration, goDuration } from '@flotilla/config';

/** One Prometheus alerting rule (the rule file format AMP's RuleGroupsNamespace takes). */
export interface AlertRule {
  readonly alert: string;
  /** PromQL; `flotilla validate` parses it and checks its metric names (`rules/*` findings). */
  readonly expr: string;
  readonly for: Duration;
  readonly severity: 'critical' | 'warning' | 'info';
  readonly summary: string;
}

export interface AlertRuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

export interface PlatformAlertRulesProps {
  /** The cluster's Flux reconcile interval: a Flux controller failing for longer than one interval alerts. */
  readonly fluxInterval: Duration;
  /** Window of the rate/increase functions and the `for:` of every other rule. @default Duration.minutes(15) */
  readonly window?: Duration;
}

/**
 * The platform's alert rules, with metric names as each project documents them (Karpenter
 * v1.14.1 `website/content/en/docs/reference/metrics.md`, Gatekeeper v3.23.0 `website/docs/metrics.md`,
 * External Secrets 2.9.0 `docs/api/metrics.md`, controller-runtime's metrics for Flux).
 *
 * Flux's controllers no longer export `gotk_reconcile_condition` (per-object readiness now comes
 * from kube-state-metrics as `gotk_resource_info`, which this platform does not run), so the Flux
 * rule watches controller-runtime's `controller_runtime_reconcile_errors_total` per controller;
 * which object fails is in the commit statuses and alerts of flux-notifications.
 */
export function platformAlertRules(props: PlatformAlertRulesProps): AlertRuleGroup[] {
  const window = props.window ?? Duration.minutes(15);
  const w = goDuration(window);
  const fluxFor = props.fluxInterval;
  const f = goDuration(fluxFor);
  return [
    {
      name: 'karpenter',
      rules: [
        {
          alert: 'KarpenterInterruptionMessagesNotHandled',
          expr: `sum by (cluster) (increase(karpenter_interruption_received_messages_total[${w}])) - sum by (cluster) (increase(karpenter_interruption_deleted_messages_total[${w}])) > 0`,
          for: window,
          severity: 'warning',
          summary: 'Karpenter received interruption messages it did not delete from the queue: spot interruptions may not be drained in time',
        },
        {
          alert: 'KarpenterInterruptionQueueLagging',
          expr: `histogram_quantile(0.99, sum by (cluster, le) (rate(karpenter_interruption_message_queue_duration_seconds_bucket[${w}]))) > 30`,
          for: window,
          severity: 'warning',
          summary: 'interruption messages wait over 30 s in the queue before Karpenter handles them (a spot warning gives 2 minutes)',
        },
        {
          alert: 'KarpenterConsolidationFailing',
          expr: `sum by (cluster) (increase(karpenter_voluntary_disruption_queue_failures_total[${w}])) > 0`,
          for: window,
          severity: 'warning',
          summary: 'enqueued disruption (consolidation) decisions failed',
        },
        {
          alert: 'KarpenterConsolidationTimingOut',
          expr: `sum by (cluster) (increase(karpenter_voluntary_disruption_consolidation_timeouts_total[${w}])) > 0`,
          for: window,
          severity: 'warning',
          summary: 'the consolidation algorithm reached its timeout: nodes stay underused',
        },
      ],
    },
    {
      name: 'flux',
      rules: [
        {
          alert: 'FluxReconciliationFailing',
          expr: `sum by (cluster, job, controller) (increase(controller_runtime_reconcile_errors_total{job=~"flux-.*"}[${f}])) > 0`,
          for: fluxFor,
          severity: 'critical',
          summary: `a Flux controller has failed reconciliations for longer than the reconcile interval (${f}); see the commit statuses for the failing object`,
        },
      ],
    },
    {
      name: 'gatekeeper',
      rules: [
        {
          alert: 'GatekeeperAuditViolations',
          expr: 'sum by (cluster, enforcement_action) (gatekeeper_violations{enforcement_action="deny"}) > 0',
          for: window,
          severity: 'warning',
          summary: 'the Gatekeeper audit found existing objects that violate deny constraints',
        },
        {
          alert: 'GatekeeperAuditStale',
          expr: `time() - max by (cluster) (gatekeeper_audit_last_run_end_time) > ${window.toSeconds() * 2}`,
          for: window,
          severity: 'warning',
          summary: 'the Gatekeeper audit has not finished a run recently',
        },
      ],
    },
    {
      name: 'external-secrets',
      rules: [
        {
          alert: 'ExternalSecretSyncErrors',
          expr: `sum by (cluster, namespace, name) (increase(externalsecret_sync_calls_error[${w}])) > 0`,
          for: window,
          severity: 'warning',
          summary: 'an ExternalSecret fails to sync from its store',
        },
        {
          alert: 'ExternalSecretNotReady',
          expr: 'max by (cluster, namespace, name) (externalsecret_status_condition{condition="Ready",status="False"}) == 1',
          for: window,
          severity: 'critical',
          summary: 'an ExternalSecret is not Ready: its Secret is stale or missing',
        },
      ],
    },
  ];
}

/** The Prometheus rule file (`groups:`) a RuleGroupsNamespace's `configuration` holds. */
export function ruleFile(groups: readonly AlertRuleGroup[]): string {
  const names = new Set<string>();
  for (const group of groups) {
    if (names.has(group.name)) throw new Error(`metrics rule group '${group.name}' is declared twice; merge the groups or rename one`);
    names.add(group.name);
    for (const rule of group.rules) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(rule.alert)) throw new Error(`metrics rule group '${group.name}': alert name '${rule.alert}' is not a Prometheus label value of the form [a-zA-Z_][a-zA-Z0-9_]*`);
    }
  }
  return stringify({
    groups: groups.map((group) => ({
      name: group.name,
      rules: group.rules.map((rule) => ({
        alert: rule.alert,
        expr: rule.expr,
        for: goDuration(rule.for),
        labels: { severity: rule.severity },
        annotations: { summary: rule.summary },
      })),
    })),
  });
}
