import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '@flotilla/model';
import { compileTemplate } from './template';
import { readKubeObject } from './yaml-files';

/**
 * Every `policies/<category>/<policy>/template.yaml`, sorted by path. Each template is compiled,
 * so a template whose CEL Gatekeeper would not compile fails here (PolicyTemplateError).
 */
export function loadPolicyLibrary(policiesDir: string): { templates: KubeObject[] } {
  const templates: KubeObject[] = [];
  const kinds = new Map<string, string>();
  for (const category of readdirSync(policiesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const categoryDir = join(policiesDir, category.name);
    for (const policy of readdirSync(categoryDir, { withFileTypes: true }).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = join(categoryDir, policy.name, 'template.yaml');
      if (!existsSync(file)) continue;
      const template = readKubeObject(file);
      const { kind } = compileTemplate(template);
      const previous = kinds.get(kind);
      if (previous) throw new Error(`${file}: kind ${kind} is already defined by ${previous}; each template needs its own kind`);
      kinds.set(kind, file);
      templates.push(template);
    }
  }
  return { templates };
}

const libraries = new Map<string, readonly KubeObject[]>();

/**
 * The compiled and checked templates of a policy library, read once per process and folder: the one cached
 * loader synth's checks, `flotilla validate` and the gatekeeper-policies unit share.
 */
export function policyTemplates(policiesDir: string): readonly KubeObject[] {
  let templates = libraries.get(policiesDir);
  if (!templates) {
    if (!existsSync(policiesDir)) throw new Error(`policiesDir '${policiesDir}' does not exist; pass the folder holding <category>/<policy>/template.yaml`);
    templates = loadPolicyLibrary(policiesDir).templates;
    if (templates.length === 0) throw new Error(`policiesDir '${policiesDir}' has no <category>/<policy>/template.yaml`);
    libraries.set(policiesDir, templates);
  }
  return templates;
}
