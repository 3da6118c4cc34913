import { Duration } from 'cdk8s';
import type { Environment } from '@flotilla/config';

/** How AppConfig rolls a new configuration out to the targets (pods polling through their agent). */
export interface BindingDeploymentStrategy {
  /** Total time of the rollout (`deploymentDurationInMinutes`). @default Duration.minutes(0) */
  readonly deploymentDuration?: Duration;
  /**
   * Bake after the last step, while the environment's monitors can still roll back;
   * ON_DEPLOYMENT_COMPLETE (and so the restart) waits for it.
   *
   * @default Duration.minutes(0)
   */
  readonly finalBakeTime?: Duration;
  /** `LINEAR`: `growthFactor` % more targets each step; `EXPONENTIAL`: G*(2^N). @default 'LINEAR' */
  readonly growthType?: 'LINEAR' | 'EXPONENTIAL';
  /** Percentage of targets per step (1-100). @default 100 */
  readonly growthFactor?: number;
}

/** Every target at once, no bake (AppConfig.AllAtOnce would bake 10 minutes). */
export function allAtOnce(): Required<BindingDeploymentStrategy> {
  return { deploymentDuration: Duration.minutes(0), finalBakeTime: Duration.minutes(0), growthType: 'LINEAR', growthFactor: 100 };
}

/**
 * `stepPercent` % more targets every `stepInterval`, then `finalBakeTime`: AppConfig spreads a linear
 * rollout's steps evenly over `deploymentDuration`, so the duration is steps × interval
 * (20 % every 2 min = 5 steps = 10 min).
 */
export function linearRollout(options: { readonly stepPercent: number; readonly stepInterval: Duration; readonly finalBakeTime: Duration }): Required<BindingDeploymentStrategy> {
  const steps = Math.ceil(100 / options.stepPercent);
  return {
    deploymentDuration: Duration.millis(steps * options.stepInterval.toMilliseconds()),
    finalBakeTime: options.finalBakeTime,
    growthType: 'LINEAR',
    growthFactor: options.stepPercent,
  };
}

/**
 * The strategy each environment's bindings get unless the unit sets one:
 * - dev: all at once, no bake (fast feedback, nothing to protect);
 * - staging: linear 50 % every minute, 2 min bake;
 * - prod: linear 20 % every 2 minutes (10 min), 10 min bake, during which the environment's monitor
 *   (the bound workload's restart alarm) rolls a bad configuration back before every pod has it.
 */
export const DEFAULT_DEPLOYMENT_STRATEGIES: Readonly<Record<Environment, Required<BindingDeploymentStrategy>>> = {
  dev: allAtOnce(),
  staging: linearRollout({ stepPercent: 50, stepInterval: Duration.minutes(1), finalBakeTime: Duration.minutes(2) }),
  prod: linearRollout({ stepPercent: 20, stepInterval: Duration.minutes(2), finalBakeTime: Duration.minutes(10) }),
};

/** A strategy with every default filled in; throws naming the field when AppConfig would reject it. */
export function resolveStrategy(strategy: BindingDeploymentStrategy, where: string): { deploymentDurationInMinutes: number; finalBakeTimeInMinutes: number; growthType: 'LINEAR' | 'EXPONENTIAL'; growthFactor: number } {
  const minutes = (duration: Duration, field: string) => {
    const value = duration.toMilliseconds() / 60_000;
    if (!Number.isInteger(value) || value < 0 || value > 1440) {
      throw new Error(`${where}: 'deploymentStrategy.${field}' (${duration.toMilliseconds()} ms) must be a whole number of minutes from 0 to 1440`);
    }
    return value;
  };
  const growthFactor = strategy.growthFactor ?? 100;
  if (!Number.isInteger(growthFactor) || growthFactor < 1 || growthFactor > 100) {
    throw new Error(`${where}: 'deploymentStrategy.growthFactor' (${growthFactor}) must be a whole percentage from 1 to 100`);
  }
  return {
    deploymentDurationInMinutes: minutes(strategy.deploymentDuration ?? Duration.minutes(0), 'deploymentDuration'),
    finalBakeTimeInMinutes: minutes(strategy.finalBakeTime ?? Duration.minutes(0), 'finalBakeTime'),
    growthType: strategy.growthType ?? 'LINEAR',
    growthFactor,
  };
}
