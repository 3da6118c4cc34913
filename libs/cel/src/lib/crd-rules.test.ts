import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCel } from './compile';
import { listCrdRules } from './crd-rules';
import { findRepoRoot } from '@flotilla/model';

const repoRoot = () => findRepoRoot(__dirname);

const crdDir = resolve(repoRoot(), 'libs/upstream/crds');

describe('x-kubernetes-validations of the pinned upstream CRDs', () => {
  it('compiles every rule and messageExpression with the CRD dialect', () => {
    // GIVEN every rule of every CRD vendored under libs/upstream/crds
    const rules = listCrdRules(crdDir);
    const expressions = rules.flatMap((rule) => [rule.rule, ...(rule.messageExpression ? [rule.messageExpression] : [])]);
    // WHEN compiling each with self and oldSelf declared
    const failures: string[] = [];
    for (const [i, expression] of expressions.entries()) {
      try {
        compileCel(expression, { dialect: 'crd', variables: ['self', 'oldSelf'] });
      } catch (error) {
        failures.push(`${i}: ${(error as Error).message}`);
      }
    }
    console.info(`CRD rules: ${rules.length} rules, ${expressions.length} expressions, ${expressions.length - failures.length} compile`);
    // THEN all of them compile (514 rules at the pinned versions, none with messageExpression)
    expect(failures).toEqual([]);
    expect(rules.length).toBeGreaterThanOrEqual(500);
  });

  it('records where each rule lives', () => {
    const rules = listCrdRules(crdDir);
    const ec2NodeClass = rules.filter((rule) => rule.kind === 'EC2NodeClass');
    expect(ec2NodeClass.length).toBeGreaterThan(0);
    expect(ec2NodeClass.some((rule) => rule.rule.includes("find('^[^@]+')"))).toBe(true);
    expect(rules.every((rule) => !rule.file.startsWith('/'))).toBe(true);
  });
});
