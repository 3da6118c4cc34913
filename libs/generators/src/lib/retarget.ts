import ts from 'typescript';

/** The facts of a cluster that per-cluster settings spell out in strings. */
export interface ClusterIdentityFacts {
  readonly name: string;
  readonly account: string;
  readonly region: string;
}

/**
 * Rewrites the string literals of a file copied from another cluster for the new one: the source
 * account id becomes the new account, the source region becomes the new region in strings that
 * name the account too (ECR hosts, bucket names, ARNs), and the source cluster name becomes the
 * new one where it stands as its own token (`dev-karpenter`, not `developers`). Code, comments and
 * every other string stay as they are. Returns the new text and the strings that changed.
 */
export function retargetStrings(file: string, text: string, from: ClusterIdentityFacts, to: ClusterIdentityFacts): { text: string; changed: string[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; text: string }[] = [];
  const changed: string[] = [];
  const nameToken = new RegExp(`(?<![A-Za-z0-9])${from.name.replace(/[-]/g, '\\-')}(?![A-Za-z0-9])`, 'g');
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const start = node.getStart(source);
      const raw = text.slice(start, node.getEnd());
      let next = raw;
      if (next.includes(from.account)) next = next.split(from.region).join(to.region).split(from.account).join(to.account);
      next = next.replace(nameToken, to.name);
      if (next !== raw) {
        edits.push({ start, end: node.getEnd(), text: next });
        changed.push(`${raw} → ${next}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let result = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return { text: result, changed };
}
