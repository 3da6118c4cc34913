import { existsSync } from 'node:fs';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { KubeObject } from '@flotilla/model';
import { loadPolicyLibrary } from '@flotilla/policy';

const libraries = new Map<string, readonly KubeObject[]>();

/** The compiled and checked templates of a policies folder, read once per process and folder. */
export function policyTemplates(policiesDir: string): readonly KubeObject[] {
  let templates = libraries.get(policiesDir);
  if (!templates) {
    if (!existsSync(policiesDir)) throw new Error(`policiesDir '${policiesDir}' does not exist; pass the folder holding policies/<category>/<policy>/template.yaml`);
    templates = loadPolicyLibrary(policiesDir).templates;
    if (templates.length === 0) throw new Error(`no policies/<category>/<policy>/template.yaml under ${policiesDir}`);
    libraries.set(policiesDir, templates);
  }
  return templates;
}

export interface ConstraintTemplatesProps {
  /** Absolute path of the policy library, as the fleet's entry point passed it in (`UnitContext.workspace`). */
  readonly policiesDir: string;
}

/**
 * Every ConstraintTemplate of the policy library, rendered as-is (the same YAML CI evaluates).
 * `loadPolicyLibrary` compiles each template's CEL first, so a broken template fails synth.
 */
export class ConstraintTemplates extends Construct {
  /** Constraint kinds the templates define, e.g. `FlotillaAllowedRepos`. */
  readonly kinds: readonly string[];

  constructor(scope: Construct, id: string, props: ConstraintTemplatesProps) {
    super(scope, id);
    const templates = policyTemplates(props.policiesDir);
    const kinds: string[] = [];
    for (const template of templates) {
      const { apiVersion, kind, metadata, ...rest } = structuredClone(template);
      new ApiObject(this, metadata.name, { apiVersion, kind, metadata, ...rest });
      kinds.push((template.spec as { crd: { spec: { names: { kind: string } } } }).crd.spec.names.kind);
    }
    this.kinds = kinds;
  }
}
