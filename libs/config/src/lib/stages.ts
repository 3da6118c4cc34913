import { FleetConfigError } from './fleet';

const STAGE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The fleet's environments in promotion order (`dev → staging → prod`): a release reaches a stage
 * only through the stages before it. `flotilla promote` reads this order.
 */
export class Stages<S extends string = string> {
  readonly order: readonly S[];

  constructor(order: readonly S[]) {
    if (order.length === 0) throw new FleetConfigError(["stages: 'order' is empty; list the fleet's environments in promotion order, e.g. ['dev', 'staging', 'prod']"]);
    const seen = new Set<string>();
    for (const stage of order) {
      if (!STAGE_NAME.test(stage)) throw new FleetConfigError([`stages: '${stage}' is not a stage name; use lowercase letters, digits and '-', e.g. 'staging'`]);
      if (seen.has(stage)) throw new FleetConfigError([`stages: '${stage}' is listed twice in [${order.join(', ')}]; list each environment once`]);
      seen.add(stage);
    }
    this.order = [...order];
  }

  /** Whether `name` is one of the stages. */
  has(name: string): name is S {
    return (this.order as readonly string[]).includes(name);
  }

  /** Position of `stage` in the order (0 = first). */
  indexOf(stage: S): number {
    return this.order.indexOf(stage);
  }

  /** The stages strictly between `from` and `to` (empty when they are neighbours). */
  between(from: S, to: S): S[] {
    return this.order.slice(this.indexOf(from) + 1, this.indexOf(to));
  }
}

/** Declares the fleet's stages in promotion order (see {@link Stages}). */
export function defineStages<const S extends string>(order: readonly S[]): Stages<S> {
  return new Stages(order);
}
