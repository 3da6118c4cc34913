import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { KubeObject } from '@flotilla/model';
import { loadPolicyLibrary } from '@flotilla/policy';

/**
 * `policies/` of the workspace: walks up from the working directory to the folder holding `nx.json`
 * (synth and tests run inside the repository; a bundled CLI has no stable module path to start from).
 */
export function defaultPoliciesDir(start: string = process.cwd()): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return join(dir, 'policies');
    if (dirname(dir) === dir) throw new Error(`no nx.json found above ${start}; pass policiesDir explicitly`);
  }
}

const libraries = new Map<string, readonly KubeObject[]>();

/** The compiled and checked templates of a policies folder, read once per process and folder. */
export function policyTemplates(policiesDir: string = defaultPoliciesDir()): readonly KubeObject[] {
  let templates = libraries.get(policiesDir);
  if (!templates) {
    if (!existsSync(policiesDir)) throw new Error(`policies folder ${policiesDir} does not exist; pass policiesDir or run from the workspace`);
    templates = loadPolicyLibrary(policiesDir).templates;
    if (templates.length === 0) throw new Error(`no policies/<category>/<policy>/template.yaml under ${policiesDir}`);
    libraries.set(policiesDir, templates);
  }
  return templates;
}

export interface ConstraintTemplatesProps {
  /** @default - `policies/` of the workspace */
  readonly policiesDir?: string;
}

/**
 * Every ConstraintTemplate of the policy library, rendered as-is (the same YAML CI evaluates).
 * `loadPolicyLibrary` compiles each template's CEL first, so a broken template fails synth.
 */
export class ConstraintTemplates extends Construct {
  /** Constraint kinds the templates define, e.g. `FlotillaAllowedRepos`. */
  readonly kinds: readonly string[];

  constructor(scope: Construct, id: string, props: ConstraintTemplatesProps = {}) {
    super(scope, id);
    const templates = policyTemplates(props.policiesDir ?? defaultPoliciesDir());
    const kinds: string[] = [];
    for (const template of templates) {
      const { apiVersion, kind, metadata, ...rest } = structuredClone(template);
      new ApiObject(this, metadata.name, { apiVersion, kind, metadata, ...rest });
      kinds.push((template.spec as { crd: { spec: { names: { kind: string } } } }).crd.spec.names.kind);
    }
    this.kinds = kinds;
  }
}
