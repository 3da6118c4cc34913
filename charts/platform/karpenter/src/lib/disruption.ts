import type { Duration } from '@flotilla/config';
import { goDuration } from '@flotilla/config';

/** How many of a NodePool's nodes may be disrupted at once: a percentage or an absolute count. */
export class NodeCount {
  /** A share of the pool's nodes, rounded up by Karpenter (0–100). */
  static percent(value: number): NodeCount {
    if (!Number.isInteger(value) || value < 0 || value > 100) {
      throw new Error(`NodeCount.percent(${value}) is out of range; use a whole number from 0 to 100`);
    }
    return new NodeCount(`${value}%`);
  }

  /** An absolute number of nodes; 0 blocks the budget's reasons while it is active. */
  static count(value: number): NodeCount {
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`NodeCount.count(${value}) is not a whole, non-negative number`);
    }
    return new NodeCount(String(value));
  }

  private constructor(readonly value: string) {}
}

/** Why Karpenter disrupts a node; a budget can apply to some reasons only. */
export enum DisruptionReason {
  UNDERUTILIZED = 'Underutilized',
  EMPTY = 'Empty',
  DRIFTED = 'Drifted',
}

/** Karpenter's consolidation policy. */
export enum ConsolidationPolicy {
  /** Only remove nodes without workload pods. */
  WHEN_EMPTY = 'WhenEmpty',
  /** Also replace or remove nodes whose pods fit elsewhere (cheaper). */
  WHEN_EMPTY_OR_UNDERUTILIZED = 'WhenEmptyOrUnderutilized',
}

/** One `spec.disruption.budgets[]` entry. */
export interface DisruptionBudget {
  readonly nodes: NodeCount;
  /** @default - all reasons */
  readonly reasons?: readonly DisruptionReason[];
  /**
   * When the budget starts, a five-field cron in UTC (e.g. `0 8 * * mon-fri`); needs `duration`.
   *
   * @default - always active
   */
  readonly schedule?: string;
  /** How long the budget stays active after each `schedule` hit; whole minutes. @default - always active */
  readonly duration?: Duration;
}

const CRON_FIELD = /^[\w*/,-]+$/;

/** Validates and renders budgets the way the NodePool CRD accepts them. */
export function renderBudgets(pool: string, budgets: readonly DisruptionBudget[]): { nodes: string; reasons?: string[]; schedule?: string; duration?: string }[] {
  if (budgets.length > 50) throw new Error(`NodePool "${pool}": ${budgets.length} disruption budgets; Karpenter allows at most 50`);
  return budgets.map((budget, i) => {
    const where = `NodePool "${pool}": disruption.budgets[${i}]`;
    if ((budget.schedule === undefined) !== (budget.duration === undefined)) {
      throw new Error(`${where} sets ${budget.schedule === undefined ? 'duration' : 'schedule'} without ${budget.schedule === undefined ? 'schedule' : 'duration'}; set both or neither`);
    }
    let duration: string | undefined;
    if (budget.schedule !== undefined) {
      const fields = budget.schedule.trim().split(/\s+/);
      if (!budget.schedule.startsWith('@') && (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f)))) {
        throw new Error(`${where}.schedule "${budget.schedule}" is not a five-field cron expression such as "0 8 * * mon-fri" (UTC)`);
      }
      const seconds = budget.duration!.toSeconds();
      if (seconds === 0 || seconds % 60 !== 0) {
        throw new Error(`${where}.duration ${goDuration(budget.duration!)} must be a positive number of whole minutes (Karpenter accepts only hours and minutes)`);
      }
      duration = goDuration(budget.duration!);
    }
    const reasons = budget.reasons ? [...new Set(budget.reasons)] : undefined;
    return {
      nodes: budget.nodes.value,
      ...(reasons && reasons.length > 0 ? { reasons } : {}),
      ...(budget.schedule !== undefined ? { schedule: budget.schedule.trim(), duration } : {}),
    };
  });
}
