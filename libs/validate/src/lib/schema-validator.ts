import Ajv, { type ValidateFunction } from 'ajv';
import { apiGroupOf, findingFor, INSTALLS_CRDS_ANNOTATION, joinFieldPath, type Finding, type KubeObject, type RenderedObject } from '@flotilla/model';
import { SchemaCatalog, type KubernetesVersion, type SchemaNode } from '@flotilla/schemas';
import { problemsFromAjv, type SchemaProblem } from './ajv-errors';
import { definitionsSchema, kindSchema } from './ajv-schema';
import { buildRuleTree, evaluateCreateRules, type CompiledRule, type RuleNode } from './cel-rules';
import { applyDefaults, pruneNulls } from './defaults';
import { addKubernetesFormats } from './formats';
import { LazySchemas } from './lazy-schemas';
import { addListMapKeysKeyword } from './list-keys';
import { metadataProblems } from './metadata';
import { identityProblem } from './parse';
import { regExpEngine } from './regexp';
import { closest } from './suggest';

export interface ValidateOptions {
  /**
   * Kubernetes version whose built-in schemas apply.
   * @default '1.35'
   */
  kubernetesVersion?: KubernetesVersion;
  /**
   * Kinds without a schema that are accepted unchecked: `group/Kind` or `group/*` (core group: `/Kind` or `core/Kind`).
   * @default - every kind must have a schema
   */
  allowedUnknownKinds?: string[];
}

/** A kind ready to validate: compiled ajv function, CEL rule tree and the schema used for defaulting. */
interface CompiledKind {
  readonly validate: ValidateFunction;
  /** The lazy-subschema registry of the ajv instance `validate` was compiled with. */
  readonly lazy: LazySchemas;
  readonly rules?: RuleNode;
  readonly schema: SchemaNode;
}

/** Counts of the CRD CEL rules, for reports. */
export interface RuleStats {
  readonly total: number;
  readonly compiled: number;
  readonly failed: readonly { kind: string; rule: string; reason: string }[];
}

const STRICT = true;

/**
 * Validates rendered objects against the bundled schemas (built-ins for the chosen Kubernetes
 * version, every bundled CRD, and CRDs found among the objects) and evaluates the CRDs' CEL rules.
 * ajv validators and CEL programs are compiled once per kind, on first use.
 */
export class SchemaValidator {
  private static shared?: SchemaValidator;

  static load(): SchemaValidator {
    return (SchemaValidator.shared ??= new SchemaValidator(SchemaCatalog.load()));
  }

  private readonly ajvs = new Map<KubernetesVersion, { ajv: Ajv; lazy: LazySchemas }>();
  private readonly compiled = new Map<string, CompiledKind | null>();
  private readonly inlineCompiled = new Map<string, CompiledKind>();

  constructor(private readonly catalog: SchemaCatalog) {}

  validate(objects: readonly RenderedObject[], options: ValidateOptions = {}): Finding[] {
    const version = options.kubernetesVersion ?? '1.35';
    const allowed = allowedMatcher(options.allowedUnknownKinds ?? []);
    const findings: Finding[] = [];
    const usable: RenderedObject[] = [];
    for (const rendered of objects) {
      const broken = identityProblem(rendered.object);
      if (broken) findings.push({ severity: 'error', code: 'schema/not-an-object', file: rendered.file, cluster: rendered.cluster, message: broken.message, fix: broken.fix });
      else usable.push(rendered);
    }
    const inlineCrds = collectInlineCrds(usable);
    const helmGroups = helmInstalledGroups(usable);
    for (const rendered of usable) {
      const object = rendered.object;
      const compiled = this.kindFor(object.apiVersion, object.kind, version) ?? this.inlineKind(inlineCrds, object, version);
      if (!compiled) {
        const unknown = this.unknownKind(rendered, allowed, helmGroups, version);
        if (unknown) findings.push(unknown);
        continue;
      }
      const problems: SchemaProblem[] = [];
      const errors = compiled.lazy.run(compiled.validate, object);
      if (errors) problems.push(...problemsFromAjv(errors, object));
      problems.push(...metadataProblems(object));
      for (const problem of problems) {
        findings.push(
          findingFor(rendered, { severity: 'error', code: problem.code, path: joinFieldPath(problem.segments), message: problem.message, fix: problem.fix }),
        );
      }
      const info = this.catalog.find(object.apiVersion, object.kind, version);
      if (info?.deprecated) {
        const current = this.catalog
          .servedVersions(info.group, info.kind, version)
          .filter((candidate) => this.catalog.find(candidate, info.kind, version)?.deprecated === false);
        findings.push(
          findingFor(rendered, {
            severity: 'warning',
            code: 'schema/deprecated-version',
            message: `${object.apiVersion} ${object.kind} is deprecated`,
            fix: current.length > 0 ? `use apiVersion: ${current.sort().join(' or ')}` : 'plan a migration; the upstream project deprecated this kind',
          }),
        );
      }
      const scope = info?.scope;
      if (scope === 'Cluster' && object.metadata?.namespace) {
        findings.push(
          findingFor(rendered, {
            severity: 'warning',
            code: 'schema/namespace-on-cluster-scoped',
            path: 'metadata.namespace',
            message: `${object.kind} is cluster-scoped; metadata.namespace "${object.metadata.namespace}" is ignored`,
            fix: 'remove metadata.namespace',
          }),
        );
      }
      if (compiled.rules) {
        // CEL sees the same object as the schema; results at or around a field that already failed
        // schema validation would only repeat (or garble) that error, so they are left out.
        const bad = problems.map((problem) => joinFieldPath(problem.segments));
        findings.push(...ruleFindings(rendered, compiled).filter((finding) => !bad.some((path) => overlaps(path, finding.path ?? ''))));
      }
    }
    return findings;
  }

  /** Compiles every bundled CRD kind's rules and reports which compile (for reports and tests). */
  ruleStats(): RuleStats {
    const failed: { kind: string; rule: string; reason: string }[] = [];
    let total = 0;
    for (const key of this.catalog.allKinds()) {
      const [kind] = key.split('/').slice(-1);
      const apiVersion = key.slice(0, key.length - kind!.length - 1);
      const info = this.catalog.find(apiVersion, kind!);
      if (!info || info.family === 'kubernetes') continue;
      buildRuleTree(info.schema, (rule: CompiledRule) => {
        total++;
        if (rule.compileError) failed.push({ kind: `${apiVersion}/${kind}`, rule: rule.rule, reason: rule.compileError });
      });
    }
    return { total, compiled: total - failed.length, failed };
  }

  private readonly kindIndexes = new Map<KubernetesVersion, Map<string, string[]>>();

  /** Every apiVersion (built-in or bundled CRD) that serves a kind name in a Kubernetes version, e.g. Deployment → apps/v1. */
  private apiVersionsOfKind(kind: string, version: KubernetesVersion): string[] {
    let index = this.kindIndexes.get(version);
    if (!index) {
      index = new Map();
      for (const key of this.catalog.allKinds(version)) {
        const name = key.slice(key.lastIndexOf('/') + 1);
        const list = index.get(name) ?? [];
        list.push(key.slice(0, key.lastIndexOf('/')));
        index.set(name, list);
      }
      this.kindIndexes.set(version, index);
    }
    return [...(index.get(kind) ?? [])].sort();
  }

  private ajv(version: KubernetesVersion): { ajv: Ajv; lazy: LazySchemas } {
    let entry = this.ajvs.get(version);
    if (!entry) {
      // Unoptimised code and un-inlined $refs compile about 1.5x faster and validate about as fast;
      // lazy subschemas compile only what the objects use. Compile time is what a CLI run pays.
      const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, inlineRefs: false, code: { regExp: regExpEngine, optimize: false } });
      addKubernetesFormats(ajv);
      addListMapKeysKeyword(ajv);
      const lazy = new LazySchemas(ajv);
      ajv.addSchema(definitionsSchema(this.catalog.definitions(version), STRICT, lazy));
      entry = { ajv, lazy };
      this.ajvs.set(version, entry);
    }
    return entry;
  }


  private compileKind(schema: SchemaNode, version: KubernetesVersion): { validate: ValidateFunction; lazy: LazySchemas } {
    const { ajv, lazy } = this.ajv(version);
    return { validate: ajv.compile(kindSchema(schema, STRICT, lazy)), lazy };
  }

  private kindFor(apiVersion: string, kind: string, version: KubernetesVersion): CompiledKind | undefined {
    const info = this.catalog.find(apiVersion, kind, version);
    if (!info) return undefined;
    // CRD kinds do not depend on the Kubernetes version except for ObjectMeta, which is stable.
    const key = info.family === 'kubernetes' ? `${version}|${apiVersion}/${kind}` : `crd|${apiVersion}/${kind}`;
    let compiled = this.compiled.get(key);
    if (compiled === undefined) {
      const builtin = info.family === 'kubernetes';
      compiled = {
        ...this.compileKind(info.schema, version),
        rules: builtin ? undefined : buildRuleTree(info.schema),
        schema: info.schema,
      };
      this.compiled.set(key, compiled);
    }
    return compiled ?? undefined;
  }

  private inlineKind(crds: Map<string, SchemaNode>, object: KubeObject, version: KubernetesVersion): CompiledKind | undefined {
    const schema = crds.get(`${object.apiVersion}/${object.kind}`);
    if (!schema) return undefined;
    const key = `${version}|${object.apiVersion}/${object.kind}|${JSON.stringify(schema)}`;
    let compiled = this.inlineCompiled.get(key);
    if (!compiled) {
      try {
        compiled = { ...this.compileKind(schema, version), rules: buildRuleTree(schema), schema };
      } catch {
        // A CRD whose schema does not compile is itself reported by the CustomResourceDefinition schema
        // check; its custom resources are then treated as having no schema.
        return undefined;
      }
      this.inlineCompiled.set(key, compiled);
    }
    return compiled;
  }

  private unknownKind(
    rendered: RenderedObject,
    allowed: (group: string, kind: string) => boolean,
    helmGroups: Map<string, Set<string>>,
    version: KubernetesVersion,
  ): Finding | undefined {
    const { apiVersion, kind } = rendered.object;
    const group = apiGroupOf(apiVersion);
    if (allowed(group, kind)) return undefined;
    if (helmGroups.get(rendered.cluster ?? '')?.has(group)) {
      return findingFor(rendered, {
        severity: 'warning',
        code: 'schema/no-schema',
        message: `no schema for ${kind} (${apiVersion}); its CRDs come from a HelmRelease, so it is not validated`,
        fix: `add the CRDs to the schema bundle (nx run schemas:generate --crds=<dir>) or list "${group}/${kind}" in allowedUnknownKinds`,
      });
    }
    const replacement = this.catalog.servedReplacement(apiVersion, kind);
    const versions = this.catalog.servedVersions(group, kind, version);
    const kinds = this.catalog.kindsOf(group, version);
    const elsewhere = this.apiVersionsOfKind(kind, version);
    let fix: string;
    if (replacement) fix = `${apiVersion} is no longer served; use apiVersion: ${replacement}`;
    else if (versions.length > 0) fix = `use apiVersion: ${versions.sort().join(' or ')}`;
    else if (elsewhere.length > 0) fix = `${kind} is served as apiVersion: ${elsewhere.join(' or ')}`;
    else if (kinds.length > 0) {
      const guess = closest(kind, kinds);
      fix = guess ? `did you mean kind: ${guess}?` : `${group || 'the core group'} has ${kinds.sort().join(', ')}`;
    } else {
      fix = `install its CRD schemas (nx run schemas:generate --crds=<dir>) or allow it with allowedUnknownKinds: ["${group}/${kind}"]`;
    }
    return findingFor(rendered, {
      severity: 'error',
      code: 'schema/unknown-kind',
      message: `unknown kind ${kind} in apiVersion ${apiVersion}`,
      fix,
    });
  }
}

/** Rules can be pages long (Gateway API); a fix shows the start of it. */
function shorten(rule: string): string {
  const flat = rule.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

/** Whether one field path is the other or contains it. */
function overlaps(a: string, b: string): boolean {
  const within = (inner: string, outer: string) => outer === '' || inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return within(a, b) || within(b, a);
}

function ruleFindings(rendered: RenderedObject, compiled: CompiledKind): Finding[] {
  const defaulted = applyDefaults(compiled.schema, pruneNulls(rendered.object));
  return evaluateCreateRules(compiled.rules!, defaulted).map((violation) =>
    violation.evaluationError
      ? findingFor(rendered, {
          // The API server rejects an object whose rule fails to evaluate, whatever the reason.
          severity: 'error',
          code: 'cel/evaluation-error',
          path: violation.path,
          message: `${violation.message} (the rule fails to evaluate: ${violation.evaluationError})`,
          fix: `set the fields the CRD rule reads: ${shorten(violation.rule.rule)}`,
        })
      : findingFor(rendered, {
          severity: 'error',
          code: 'cel/rule',
          path: violation.path,
          message: violation.message,
          fix: violation.rule.reason ? `${violation.rule.reason}: the CRD rule is ${shorten(violation.rule.rule)}` : `the CRD rule is ${shorten(violation.rule.rule)}`,
        }),
  );
}

function allowedMatcher(patterns: readonly string[]): (group: string, kind: string) => boolean {
  const set = new Set(patterns.map((p) => p.replace(/^core\//, '/').replace(/^v1\//, '/')));
  return (group, kind) => set.has(`${group}/${kind}`) || set.has(`${group}/*`);
}

/** Schemas of CRDs that are part of the rendered objects, by `apiVersion/Kind`. */
function collectInlineCrds(objects: readonly RenderedObject[]): Map<string, SchemaNode> {
  const out = new Map<string, SchemaNode>();
  for (const { object } of objects) {
    if (object.kind !== 'CustomResourceDefinition' || apiGroupOf(object.apiVersion) !== 'apiextensions.k8s.io') continue;
    const spec = object.spec as { group?: string; names?: { kind?: string }; versions?: { name: string; served?: boolean; schema?: { openAPIV3Schema?: SchemaNode } }[] } | undefined;
    if (!spec?.group || !spec.names?.kind) continue;
    for (const version of Array.isArray(spec.versions) ? spec.versions : []) {
      const schema = version?.schema?.openAPIV3Schema;
      if (version?.served === false || !schema || typeof schema !== 'object' || Array.isArray(schema)) continue;
      out.set(`${spec.group}/${version.name}/${spec.names.kind}`, schema);
    }
  }
  return out;
}

/** Per cluster, the API groups HelmReleases declare they install (`flotilla.dev/installs-crds`). */
export function helmInstalledGroups(objects: readonly RenderedObject[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const { object, cluster } of objects) {
    if (object.kind !== 'HelmRelease' || !apiGroupOf(object.apiVersion).startsWith('helm.toolkit.fluxcd.io')) continue;
    const groups: unknown = object.metadata?.annotations?.[INSTALLS_CRDS_ANNOTATION];
    if (typeof groups !== 'string') continue;
    const set = out.get(cluster ?? '') ?? new Set<string>();
    for (const group of groups.split(',').map((g) => g.trim()).filter(Boolean)) set.add(group);
    out.set(cluster ?? '', set);
  }
  return out;
}

