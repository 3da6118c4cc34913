import { FleetConfigError } from './fleet';

const STAGE_NAME = /^[a-z][a-z0-9-]*$/;

/** How the fleet treats its stages beyond their order. */
export interface StagesOptions<S extends string> {
  /**
   * Stages whose clusters may run only immutable references: OCI sources by digest (or an exact
   * version with `spec.verify`), Git sources by commit, Crossplane packages and chart-set images by
   * digest, AMIs by release. Synth and `flotilla validate` fail on any other reference there unless
   * the fleet's reviewed exception list names it (see `MutableReferenceException`).
   *
   * @default - none: every stage may float (tags, branches, `@latest`)
   */
  readonly immutable?: readonly S[];
}

/**
 * The fleet's environments in promotion order (`dev → staging → prod`): a release reaches a stage
 * only through the stages before it. `flotilla promote` reads this order.
 */
export class Stages<S extends string = string> {
  readonly order: readonly S[];
  /** The stages that run only immutable references ({@link StagesOptions.immutable}). */
  readonly immutable: readonly S[];

  constructor(order: readonly S[], options: StagesOptions<S> = {}) {
    if (order.length === 0) throw new FleetConfigError(["stages: 'order' is empty; list the fleet's environments in promotion order, e.g. ['dev', 'staging', 'prod']"]);
    const seen = new Set<string>();
    for (const stage of order) {
      if (!STAGE_NAME.test(stage)) throw new FleetConfigError([`stages: '${stage}' is not a stage name; use lowercase letters, digits and '-', e.g. 'staging'`]);
      if (seen.has(stage)) throw new FleetConfigError([`stages: '${stage}' is listed twice in [${order.join(', ')}]; list each environment once`]);
      seen.add(stage);
    }
    this.order = [...order];
    for (const stage of options.immutable ?? []) {
      if (!seen.has(stage)) throw new FleetConfigError([`stages: 'immutable' names '${stage}', which is not a stage (stages: ${order.join(', ')}); list only stages of 'order'`]);
    }
    this.immutable = [...(options.immutable ?? [])];
  }

  /** Whether clusters of `stage` may run only immutable references. */
  isImmutable(stage: string): boolean {
    return (this.immutable as readonly string[]).includes(stage);
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
export function defineStages<const S extends string>(order: readonly S[], options: StagesOptions<NoInfer<S>> = {}): Stages<S> {
  return new Stages(order, options);
}
