/** The Kubernetes object a constraint reports. */
export interface ViolatedObject {
  readonly kind: string;
  readonly name: string;
  /** @default - cluster-scoped */
  readonly namespace?: string;
  /** API group (`apps`, `networking.k8s.io`); empty or undefined for the core group. @default - core or unknown */
  readonly apiGroup?: string;
}

/**
 * One policy violation, wherever it was found: Gatekeeper's audit in a running cluster (the Lambda) or
 * Flotilla's pre-merge evaluation of the rendered files (`flotilla policy report`). Both map it to ASFF
 * through {@link import('./asff').violationFinding}, so the same violation gets the same finding id shape.
 */
export interface PolicyViolationRecord {
  /** The fleet's cluster name (folder under `clusters/`). */
  readonly cluster: string;
  readonly constraintKind: string;
  readonly constraintName: string;
  /** deny | warn | dryrun (for `scoped`, the action that applies). */
  readonly enforcementAction: string;
  readonly object: ViolatedObject;
  readonly message: string;
  /** From the constraint's `flotilla.dev/severity`. @default - by enforcement action */
  readonly severity?: import('./severity').SeverityLabel;
  /** Where the object is rendered (pre-merge only). @default - none (audit findings have no file) */
  readonly location?: { readonly file: string; readonly line: number };
}

/** Parses the report's `Kind namespace/name` (or `Kind name` for cluster-scoped objects; `Kind.group` allowed). */
export function parseObjectRef(ref: string): ViolatedObject {
  const match = /^(\S+) (?:([^/\s]+)\/)?(\S+)$/.exec(ref.trim());
  if (!match) throw new Error(`object reference '${ref}' is not 'Kind namespace/name' or 'Kind name'`);
  const [kind, ...group] = match[1]!.split('.');
  return {
    kind: kind!,
    name: match[3]!,
    ...(match[2] ? { namespace: match[2] } : {}),
    ...(group.length > 0 ? { apiGroup: group.join('.') } : {}),
  };
}

/** `Kind` for the core group, `Kind.group` otherwise: unique across API groups (two CRDs may share a kind). */
export function qualifiedKind(object: ViolatedObject): string {
  return object.apiGroup ? `${object.kind}.${object.apiGroup}` : object.kind;
}
