import type { Finding, KubeObject } from '@flotilla/model';
import { evaluateTransitionRules } from '@flotilla/validate';
import { allChanges, type RenderDiff, type ResourceChange } from './render-diff';
import { builtInImmutableChanges, FLUX_FORCE } from './immutable-fields';
import { findReplacements, replacementConsequence } from './replacement';
import { FLUX_PRUNE, retentionOf, retentionWeakenings, statefulReason } from './stateful';

/** Set on an object (value: why) to accept a destructive change to it; shown in the diff. */
export const ALLOW_DESTRUCTIVE = 'flotilla.dev/allow-destructive';

/** Checks CRD transition rules (`oldSelf`) between two versions of one object. */
export type TransitionRuleChecker = (oldObject: KubeObject, newObject: KubeObject) => Finding[];

export interface GuardOptions {
  /**
   * Evaluates the CRDs' `x-kubernetes-validations` transition rules (`self == oldSelf` and the like)
   * for every changed object; error findings become failures ("field X is immutable").
   * @default evaluateTransitionRules from @flotilla/validate (the pinned upstream CRDs)
   */
  readonly transitionRules?: TransitionRuleChecker;
}

export type GuardCode =
  | 'guard/stateful-removed'
  | 'guard/stateful-renamed'
  | 'guard/stateful-replaced'
  | 'guard/stateful-moved'
  | 'guard/retention-weakened'
  | 'guard/immutable-field'
  | 'guard/retained'
  | 'guard/transition-rules-unavailable';

/** One destructive (or notably non-destructive) change, naming the resource and the reason. */
export interface GuardEntry {
  readonly code: GuardCode;
  readonly cluster: string;
  readonly kustomization: string;
  /** `Kind namespace/name`. */
  readonly object: string;
  readonly apiGroup: string;
  readonly key: string;
  readonly file: string;
  /** The field involved, e.g. `spec.engine`; absent for whole-object changes. */
  readonly path?: string;
  readonly message: string;
  /** What to do about it. */
  readonly fix?: string;
  /** For accepted entries: the value of the `flotilla.dev/allow-destructive` annotation. */
  readonly acceptedReason?: string;
}

export interface GuardResult {
  /** Destructive changes nobody accepted: the guard fails when this is not empty. */
  readonly failures: GuardEntry[];
  /** Destructive changes accepted with the `flotilla.dev/allow-destructive` annotation. */
  readonly accepted: GuardEntry[];
  /** Removals that are safe (retained, orphaned, not pruned) and other information. */
  readonly notes: GuardEntry[];
}

/**
 * Finds changes that would destroy state: stateful resources removed (or renamed, or moved between
 * Kustomizations, which Flux can prune before re-creating), retention policies switched from retain to
 * delete, and changes to fields the API server refuses to change.
 */
export function guardDiff(diff: RenderDiff, options: GuardOptions = {}): GuardResult {
  const result: GuardResult = { failures: [], accepted: [], notes: [] };
  const prune = new Map(diff.fluxKustomizations.base.map((k) => [`${k.cluster}/${k.id}`, k.prune]));
  const force = new Map(diff.fluxKustomizations.head.map((k) => [`${k.cluster}/${k.id}`, k.force]));
  const unavailable = new Set<string>();
  const changes = allChanges(diff);
  const replacements = findReplacements(changes);
  for (const change of changes) {
    const namespaceOf = (object: KubeObject) =>
      object.metadata.namespace ? diff.baseNamespaceAnnotations[`${change.cluster}/${object.metadata.namespace}`] : undefined;
    const entries: EntryDetails[] = [];
    const base = change.base;
    const head = change.head;
    // What a deletion in the cluster would lose, judged on the version that is live today: the base.
    const lossFrom = (what: GuardCode, message: string, fix: string) => {
      if (!base) return;
      const reason = statefulReason(base);
      if (!reason) return;
      const safe = retentionOf(base, {
        namespaceAnnotations: namespaceOf(base),
        prune: prune.get(`${change.cluster}/${change.from?.kustomization ?? change.kustomization}`),
      });
      if (safe) result.notes.push({ ...entryBase(change), code: 'guard/retained', message: `${message}; ${safe}` });
      else entries.push({ code: what, message: `${message}: ${reason}`, fix });
    };
    const replacement = replacements.get(`${change.cluster}/${change.key}`);
    if (replacement && base) {
      // Retained or not, the new object starts empty: only a reviewed opt-out on the new object accepts it.
      const retained = retentionOf(base, {
        namespaceAnnotations: namespaceOf(base),
        prune: prune.get(`${change.cluster}/${change.from?.kustomization ?? change.kustomization}`),
      });
      const before = base.metadata.name;
      const after = replacement.created.metadata.name;
      const full: GuardEntry = {
        ...entryBase(replacement.removed),
        code: 'guard/stateful-replaced',
        message: `${change.type === 'renamed' ? `renamed from ${change.from?.object ?? before}` : `replaced by ${replacement.created.kind} ${after}`}: ${replacementConsequence(base, replacement.created, retained !== undefined)}`,
        fix: `rename back to ${before}, or migrate the data and then add ${ALLOW_DESTRUCTIVE}: "<reason>" to ${after}`,
      };
      const accepted = replacementAcceptance(base, replacement.created);
      if (accepted.reason) result.accepted.push({ ...full, acceptedReason: accepted.reason });
      else result.failures.push(accepted.problem ? { ...full, fix: accepted.problem } : full);
    } else if (change.type === 'removed') {
      lossFrom('guard/stateful-removed', 'removed', REMOVAL_FIX);
    } else if (change.type === 'renamed') {
      lossFrom(
        'guard/stateful-renamed',
        `renamed from ${change.from?.object}, which Kubernetes treats as delete and create`,
        REMOVAL_FIX,
      );
    } else if (change.type === 'moved' && change.from && change.from.kustomization !== change.kustomization) {
      lossFrom(
        'guard/stateful-moved',
        `moves from Kustomization ${change.from.kustomization} to ${change.kustomization}; if the old one reconciles first it prunes the object`,
        'merge the move in two steps (first set a retain policy or kustomize.toolkit.fluxcd.io/prune: disabled), or accept it',
      );
    }
    if (base && head && (change.type === 'changed' || change.type === 'moved')) {
      for (const weakening of retentionWeakenings(base, head)) {
        entries.push({
          code: 'guard/retention-weakened',
          path: weakening.path,
          message: weakening.message,
          fix: 'keep the retain policy, or accept the switch',
        });
      }
      const immutable: EntryDetails[] = builtInImmutableChanges(base, head).map((found) => ({
        code: 'guard/immutable-field',
        path: found.path,
        message: found.message,
        fix: IMMUTABLE_FIX,
      }));
      checkTransitions(options.transitionRules ?? evaluateTransitionRules, base, head, immutable, (note) => {
        // One note per distinct problem (a missing schema bundle would otherwise repeat for every object).
        if (note.code === 'guard/transition-rules-unavailable') {
          if (unavailable.has(note.message)) return;
          unavailable.add(note.message);
        }
        result.notes.push({ ...entryBase(change), ...note });
      });
      // With force, Flux deletes and re-creates the object instead of failing: harmless unless it holds state.
      const forced = head.metadata.annotations?.[FLUX_FORCE] === 'enabled' || force.get(`${change.cluster}/${change.kustomization}`) === true;
      // (Prune settings do not matter here: force deletes directly. Retain/Orphan policies still keep the real resource.)
      const loss = forced && !retentionOf(base, { namespaceAnnotations: namespaceOf(base) }) ? statefulReason(base) : undefined;
      for (const entry of immutable) {
        if (!forced) entries.push(entry);
        else if (loss) entries.push({ ...entry, message: `${entry.message}; with force Flux deletes and re-creates it: ${loss}` });
        else result.notes.push({ ...entryBase(change), ...entry, message: `${entry.message}; Flux re-creates it (force)`, fix: undefined });
      }
    }
    const acceptance = acceptanceOf(change);
    for (const entry of entries) {
      const full = { ...entryBase(change), ...entry };
      if (acceptance.reason) result.accepted.push({ ...full, acceptedReason: acceptance.reason });
      else result.failures.push(acceptance.problem ? { ...full, fix: acceptance.problem } : full);
    }
  }
  return result;
}

/** The guard's entries as findings (failures are errors, accepted ones warnings, notes info). */
export function guardFindings(result: GuardResult): Finding[] {
  const finding = (severity: Finding['severity'], entry: GuardEntry): Finding => ({
    severity,
    code: entry.code,
    file: entry.file,
    object: entry.object,
    cluster: entry.cluster,
    ...(entry.path ? { path: entry.path } : {}),
    message: entry.acceptedReason ? `${entry.message} (accepted: ${entry.acceptedReason})` : entry.message,
    ...(entry.fix && severity === 'error' ? { fix: entry.fix } : {}),
  });
  return [
    ...result.failures.map((entry) => finding('error', entry)),
    ...result.accepted.map((entry) => finding('warning', entry)),
    ...result.notes.map((entry) => finding('info', entry)),
  ];
}

/** One line per entry: `cluster: Kind ns/name (Kustomization ns/name): path: message`. */
export function formatGuardEntry(entry: GuardEntry): string {
  const where = `${entry.cluster}: ${entry.object} (Kustomization ${entry.kustomization})`;
  const path = entry.path ? `: ${entry.path}` : '';
  const accepted = entry.acceptedReason ? ` — accepted: ${entry.acceptedReason}` : '';
  const fix = entry.fix && !entry.acceptedReason ? ` (${entry.fix})` : '';
  return `${where}${path}: ${entry.message}${accepted}${fix}`;
}

/** The part of an entry that says what is wrong; {@link entryBase} adds where. */
type EntryDetails = Pick<GuardEntry, 'code' | 'path' | 'message' | 'fix'>;

const IMMUTABLE_FIX = `keep the old value, or replace the object under a new name (or set ${FLUX_FORCE}: enabled so Flux re-creates it)`;

const REMOVAL_FIX =
  `to keep it, first merge a change that sets a retain policy (or ${FLUX_PRUNE}: disabled); ` +
  `to accept the loss, first merge annotation ${ALLOW_DESTRUCTIVE}: "<reason>" on it, then remove it`;

function entryBase(change: ResourceChange) {
  return {
    cluster: change.cluster,
    kustomization: change.kustomization,
    object: change.object,
    apiGroup: change.apiGroup,
    key: change.key,
    file: change.file,
  };
}

/**
 * The allow-destructive annotation: for a removal it must already be in the base (merged before the
 * removal); otherwise the head version (what the chart sets now) or the base version counts.
 */
function acceptanceOf(change: ResourceChange): { reason?: string; problem?: string } {
  const read = (object: KubeObject | undefined) => object?.metadata.annotations?.[ALLOW_DESTRUCTIVE];
  const value = change.type === 'removed' ? read(change.base) : (read(change.head) ?? read(change.base));
  if (value === undefined) return {};
  if (value.trim() === '') {
    return { problem: `annotation ${ALLOW_DESTRUCTIVE} is empty: give the reason, e.g. "${ALLOW_DESTRUCTIVE}: replaced by orders-v2"` };
  }
  return { reason: value.trim() };
}

/** A replacement is accepted by the annotation on the new object (or, merged first, on the old one). */
function replacementAcceptance(old: KubeObject, created: KubeObject): { reason?: string; problem?: string } {
  const value = created.metadata.annotations?.[ALLOW_DESTRUCTIVE] ?? old.metadata.annotations?.[ALLOW_DESTRUCTIVE];
  if (value === undefined) return {};
  if (value.trim() === '') {
    return { problem: `annotation ${ALLOW_DESTRUCTIVE} on ${created.metadata.name} is empty: give the reason, e.g. "data migrated from ${old.metadata.name}"` };
  }
  return { reason: value.trim() };
}

function checkTransitions(
  checker: TransitionRuleChecker,
  base: KubeObject,
  head: KubeObject,
  entries: EntryDetails[],
  note: (entry: EntryDetails) => void,
): void {
  let findings: Finding[];
  try {
    findings = checker(base, head);
  } catch (error) {
    note({
      code: 'guard/transition-rules-unavailable',
      message: `transition rules could not be checked: ${error instanceof Error ? error.message : String(error)}`,
    });
    return;
  }
  for (const finding of findings) {
    const field = finding.path && finding.path.length > 0 ? finding.path : '(object)';
    const entry = {
      code: 'guard/immutable-field' as const,
      ...(finding.path ? { path: finding.path } : {}),
      // Checkers that already phrase the consequence are quoted as they are.
      message: /reject/.test(finding.message)
        ? finding.message
        : `field ${field} is immutable, the controller will reject this change (${finding.message})`,
      fix: finding.fix ?? IMMUTABLE_FIX,
    };
    // A rule that cannot be evaluated says nothing about the change: worth a note, not a failure.
    if (finding.severity === 'error' && !/evaluation-error/.test(finding.code)) entries.push(entry);
    else note(entry);
  }
}
