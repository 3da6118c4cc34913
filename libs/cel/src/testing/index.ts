// What the CEL tests share: an expression compiled as Gatekeeper compiles it, evaluated against one object.
import { compileCel } from '../lib/compile';

/** Compiles `expression` in the Gatekeeper dialect (variable `object` only) and evaluates it against `object`. */
export function evaluateGatekeeper(expression: string, object: unknown = {}): unknown {
  return compileCel(expression, { dialect: 'gatekeeper', variables: ['object'] }).evaluate({ object });
}
