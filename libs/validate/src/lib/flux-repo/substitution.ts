import { parse, stringify } from 'yaml';
import type { KubeObject } from '@flotilla/model';
import { substitute, VAR_NAME, type SubstitutionProblem } from './envsubst';

const DISABLED = 'kustomize.toolkit.fluxcd.io/substitute';

interface ValuesRef {
  kind?: string;
  name?: string;
  optional?: boolean;
}

/** A ConfigMap's data, or a Secret's plain `stringData` (and decoded `data`); encrypted Secrets give nothing. */
function dataOf(object: KubeObject): Record<string, string> | undefined {
  if (object.kind === 'ConfigMap') return (object.data as Record<string, string> | undefined) ?? {};
  if (object.kind !== 'Secret' || 'sops' in object) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((object.data as Record<string, string> | undefined) ?? {})) out[key] = Buffer.from(String(value), 'base64').toString('utf8');
  return Object.assign(out, (object.stringData as Record<string, string> | undefined) ?? {});
}

export interface Variables {
  readonly vars: Map<string, string>;
  /** Problems of the Kustomization itself (a bad variable name). */
  readonly problems: { path: string; message: string; fix: string }[];
}

/**
 * The variables of `spec.postBuild`, as kustomize-controller collects them: each `substituteFrom`
 * ConfigMap or Secret (found among `objects`, in the Kustomization's namespace) in order, then the
 * inline `substitute`, which wins. A missing reference is reported by the reference checks.
 */
export function collectVariables(kustomization: KubeObject, objects: readonly KubeObject[]): Variables {
  const postBuild = ((kustomization.spec as Record<string, unknown> | undefined)?.postBuild ?? {}) as { substitute?: Record<string, unknown>; substituteFrom?: ValuesRef[] };
  const namespace = kustomization.metadata.namespace ?? 'default';
  const vars = new Map<string, string>();
  for (const ref of Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : []) {
    const kind = ref?.kind ?? 'ConfigMap';
    const source = objects.find((o) => o.apiVersion === 'v1' && o.kind === kind && o.metadata.name === ref?.name && (o.metadata.namespace ?? namespace) === namespace);
    for (const [key, value] of Object.entries(source ? (dataOf(source) ?? {}) : {})) vars.set(key, String(value));
  }
  for (const [key, value] of Object.entries(postBuild.substitute ?? {})) vars.set(key, String(value));
  const problems = [...vars.keys()]
    .filter((name) => !VAR_NAME.test(name))
    .map((name) => ({
      path: postBuild.substitute && name in postBuild.substitute ? `spec.postBuild.substitute.${name}` : 'spec.postBuild.substituteFrom',
      message: `variable name "${name}" is invalid; kustomize-controller fails the whole build (names must match ${VAR_NAME.source})`,
      fix: 'rename the variable to letters, digits and underscores, not starting with a digit',
    }));
  return { vars, problems };
}

/**
 * Applies the variables to one built object as the controller does: the object as YAML, substituted,
 * parsed again (so `replicas: ${n}` becomes a number). Objects labelled or annotated
 * `kustomize.toolkit.fluxcd.io/substitute: disabled` and builds without variables are left alone.
 */
export function substituteObject(object: KubeObject, vars: ReadonlyMap<string, string>): { object: KubeObject; problems: SubstitutionProblem[] } {
  if (vars.size === 0 || object.metadata.labels?.[DISABLED] === 'disabled' || object.metadata.annotations?.[DISABLED] === 'disabled') return { object, problems: [] };
  const { output, problems } = substitute(stringify(object, { lineWidth: 0 }), vars);
  if (problems.some((problem) => problem.severity === 'error')) return { object, problems };
  try {
    return { object: parse(output) as KubeObject, problems };
  } catch (error) {
    return {
      object,
      problems: [
        ...problems,
        { severity: 'error', text: '${', message: `the substituted object is not valid YAML: ${(error as Error).message.split('\n')[0]}`, fix: 'quote substituted values that contain YAML syntax' },
      ],
    };
  }
}
