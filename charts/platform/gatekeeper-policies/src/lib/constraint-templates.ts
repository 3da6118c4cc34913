import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { policyTemplates } from '@flotilla/policy';

export interface ConstraintTemplatesProps {
  /** Absolute path of the policy library, as the fleet's entry point passed it in (`UnitContext.workspace`). */
  readonly policiesDir: string;
}

/**
 * Every ConstraintTemplate of the policy library, rendered as-is (the same YAML CI evaluates).
 * `policyTemplates` (loadPolicyLibrary) compiles each template's CEL first, so a broken template fails synth.
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
