import { Duration } from 'cdk8s';

/**
 * How long a configuration change may take from `StartDeployment` to the last restarted pod being
 * ready, step by step. Worst cases, not measurements: the AWS steps are budgets, the cluster steps
 * are the configured intervals.
 */
export interface LatencyBudgetOptions {
  /** The deployment strategy's `deploymentDurationInMinutes`. @default Duration.minutes(0) */
  readonly deploymentDuration?: Duration;
  /** The strategy's `finalBakeTimeInMinutes`; ON_DEPLOYMENT_COMPLETE fires after it. @default Duration.minutes(0) */
  readonly finalBakeTime?: Duration;
  /** Extension emits the event and EventBridge delivers it to the Lambda (best effort, asynchronous). @default Duration.seconds(30) */
  readonly eventDelivery?: Duration;
  /** Lambda cold start, five API calls and SDK retries (maxAttempts 5, jittered backoff). @default Duration.seconds(15) */
  readonly lambda?: Duration;
  /** ExternalSecret `refreshInterval`: the hash reaches the Kubernetes Secret within one interval. @default Duration.minutes(1) */
  readonly refreshInterval?: Duration;
  /** Reloader sees the Secret change (watch) and patches the workload's pod template. @default Duration.seconds(5) */
  readonly reloader?: Duration;
  /** Rolling update of the workload until every new pod is ready (replicas, probes, surge). @default Duration.minutes(2) */
  readonly rollout?: Duration;
}

export interface LatencyBudgetStep {
  readonly step: string;
  readonly worstCase: Duration;
  /** Where the number comes from. */
  readonly basis: string;
}

export interface LatencyBudget {
  readonly steps: readonly LatencyBudgetStep[];
  readonly total: Duration;
}

/** The budget for the given settings; every step defaults as documented on {@link LatencyBudgetOptions}. */
export function latencyBudget(options: LatencyBudgetOptions = {}): LatencyBudget {
  const steps: LatencyBudgetStep[] = [
    { step: 'AppConfig deployment (strategy duration)', worstCase: options.deploymentDuration ?? Duration.minutes(0), basis: 'deploymentDurationInMinutes of the binding strategy' },
    { step: 'AppConfig final bake', worstCase: options.finalBakeTime ?? Duration.minutes(0), basis: 'finalBakeTimeInMinutes (AppConfig.AllAtOnce would add 10 min)' },
    { step: 'Extension → EventBridge → Lambda invoke', worstCase: options.eventDelivery ?? Duration.seconds(30), basis: 'budget; delivery is asynchronous and best effort' },
    { step: 'Lambda: read version, hash, PutSecretValue', worstCase: options.lambda ?? Duration.seconds(15), basis: 'budget; cold start ~0.1 s locally, SDK retries up to 5 attempts' },
    { step: 'External Secrets refresh', worstCase: options.refreshInterval ?? Duration.minutes(1), basis: 'ExternalSecret refreshInterval (no event-driven refresh exists)' },
    { step: 'Reloader reacts', worstCase: options.reloader ?? Duration.seconds(5), basis: 'budget; Reloader watches Secrets' },
    { step: 'Rolling restart of the workload', worstCase: options.rollout ?? Duration.minutes(2), basis: 'budget; depends on replicas, surge and probes' },
  ];
  const totalMillis = steps.reduce((sum, s) => sum + s.worstCase.toMilliseconds(), 0);
  return { steps, total: Duration.millis(totalMillis) };
}

/** The budget with every default: deployment 0 + bake 0 + 30 s + 15 s + 1 min + 5 s + 2 min = 3 min 50 s. */
export function defaultLatencyBudget(): LatencyBudget {
  return latencyBudget();
}

/** `1m`, `30s`, `3m50s`: a short human form of a whole-second duration. */
export function formatDuration(duration: Duration): string {
  const total = Math.round(duration.toMilliseconds() / 1000);
  if (total === 0) return '0s';
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

/** The budget as a Markdown table (the chart README and the root README carry the default one). */
export function latencyBudgetTable(budget: LatencyBudget): string {
  const rows = budget.steps.map((s) => `| ${s.step} | ${formatDuration(s.worstCase)} | ${s.basis} |`);
  return ['| Step | Worst case | Basis |', '| --- | --- | --- |', ...rows, `| **Total** | **${formatDuration(budget.total)}** | |`].join('\n');
}
