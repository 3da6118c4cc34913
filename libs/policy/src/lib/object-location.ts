import { LineCounter, parseAllDocuments } from 'yaml';
import { parseObjectRef } from '@flotilla/policy-findings-contract';

/**
 * The 1-based line where the object named by `ref` (`Kind namespace/name`) starts in a YAML file's text: the line
 * of the document's first key (after synth's header comment). Undefined when no document of the file is that object.
 */
export function objectLine(content: string, ref: string): number | undefined {
  const wanted = parseObjectRef(ref);
  const lineCounter = new LineCounter();
  for (const doc of parseAllDocuments(content, { lineCounter })) {
    const value = doc.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
    if (!value || value.kind !== wanted.kind || value.metadata?.name !== wanted.name || (value.metadata?.namespace ?? undefined) !== wanted.namespace) continue;
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    return lineCounter.linePos(start).line;
  }
  return undefined;
}
