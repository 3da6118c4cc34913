import { describeObject, type KubeObject } from './kube-object';

export type Severity = 'error' | 'warning' | 'info';

/**
 * One problem found in rendered output, by any checker (schema, CEL rule, reference, policy, guard).
 *
 * Every finding says where (file, object, field path), what is wrong, and how to fix it.
 */
export interface Finding {
  readonly severity: Severity;
  /** Stable code of the rule that produced it, e.g. `schema/unknown-field`, `cel/rule`, `ref/missing-namespace`. */
  readonly code: string;
  readonly file?: string;
  /** `Kind namespace/name`, see {@link describeObject}. */
  readonly object?: string;
  /** Dotted field path with indexes, e.g. `spec.template.spec.containers[0].image`. Empty for the whole object. */
  readonly path?: string;
  readonly message: string;
  /** What the user should do about it. */
  readonly fix?: string;
  readonly cluster?: string;
}

export function findingFor(
  target: { file?: string; object?: Pick<KubeObject, 'kind' | 'metadata'>; cluster?: string },
  finding: Omit<Finding, 'file' | 'object' | 'cluster'>,
): Finding {
  return {
    ...finding,
    file: target.file,
    object: target.object ? describeObject(target.object) : undefined,
    cluster: target.cluster,
  };
}

/** One line per finding: `file: Kind ns/name: path: message (fix)`. */
export function formatFinding(finding: Finding): string {
  const where = [finding.file, finding.object, finding.path].filter((part) => part && part.length > 0).join(': ');
  const fix = finding.fix ? ` (${finding.fix})` : '';
  const level = finding.severity === 'error' ? '' : `${finding.severity}: `;
  return `${where ? where + ': ' : ''}${level}${finding.message}${fix}`;
}

/** Field path segments → `spec.containers[0].image`. */
export function joinFieldPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
