import { Environment } from '@marcbachmann/cel-js';
import { registerComprehensions } from './comprehensions';
import { registerFormatLibrary } from './format';
import { registerListsLibrary } from './lists';
import { registerNetLibrary } from './net';
import { registerOptionalLiterals } from './optional-literals';
import { registerQuantityLibrary } from './quantity';
import { registerRegexLibrary } from './regex';
import { registerStringsLibrary } from './strings';
import { celEquals } from './values';

/**
 * The Kubernetes CEL base environment (apiserver `environment.MustBaseEnvSet`, all options of
 * Kubernetes 1.36 / Gatekeeper 3.23) on top of cel-js: the libraries listed in
 * gatekeeper-cel.md §2.6, optional types, cross-type numeric comparisons, and literals that may mix
 * `dyn` values. The CRD and Gatekeeper dialects share it; they differ in declared variables.
 */
let base: Environment | undefined;

function registerCrossTypeNumerics(env: Environment): void {
  // cel-js already orders int, uint and double against each other; equality across them is missing
  const numeric = ['int', 'uint', 'double'] as const;
  for (const left of numeric) {
    for (const right of numeric) {
      // `==` also registers the mirrored overload and `!=`, so each unordered pair once
      if (left < right) env.registerOperator(`${left} == ${right}`, (a: unknown, b: unknown) => celEquals(a, b));
    }
  }
}

function kubernetesBase(): Environment {
  if (base) return base;
  const env = new Environment({
    unlistedVariablesAreDyn: false,
    // Kubernetes allows `["a", object.x]` (dyn is assignable to string); cel-js' strict mode refuses it
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: true,
  });
  registerCrossTypeNumerics(env);
  registerRegexLibrary(env);
  registerStringsLibrary(env);
  registerListsLibrary(env);
  registerQuantityLibrary(env);
  registerNetLibrary(env);
  registerFormatLibrary(env);
  registerComprehensions(env);
  registerOptionalLiterals(env);
  base = env;
  return env;
}

const environments = new Map<string, Environment>();

/** An environment with `variables` declared as `dyn`; cached per variable list. */
export function environmentFor(variables: readonly string[]): Environment {
  const key = variables.join(',');
  let env = environments.get(key);
  if (!env) {
    env = kubernetesBase().clone();
    for (const name of variables) env.registerVariable(name, 'dyn');
    environments.set(key, env);
  }
  return env;
}
