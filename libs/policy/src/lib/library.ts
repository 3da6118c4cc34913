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
