import { Testing } from 'cdk8s';
import type { KubeObject } from '@flotilla/model';
import { checkDirectAccess, directAccessPaths } from '@flotilla/validate';
import { describe, expect, test } from 'vitest';
import { Team } from './team';
import { PEOPLE_NO_SECRETS_RULES, PEOPLE_READ_ONLY_RULES, type PeopleRole } from './team-people-role';

function render(peopleRole: PeopleRole): KubeObject[] {
  const chart = Testing.chart();
  new Team(chart, 'Team', { config: { name: 'team-a', costCenter: 'cc-1001', group: 'team-a-developers', peopleRole } });
  return Testing.synth(chart) as KubeObject[];
}

const check = (objects: KubeObject[]) => checkDirectAccess(objects.map((object, index) => ({ file: `${object.kind}.yaml`, index, cluster: 'prod', object })));

describe('people roles and direct access', () => {
  test('read-only grants read verbs only: no Secrets, no pods create, exec, attach or port-forward', () => {
    // GIVEN the read-only rules THEN no verb other than get/list/watch, and no path to Secrets or AWS roles
    expect(new Set(PEOPLE_READ_ONLY_RULES.flatMap((rule) => rule.verbs))).toEqual(new Set(['get', 'list', 'watch']));
    const resources = PEOPLE_READ_ONLY_RULES.flatMap((rule) => rule.resources);
    for (const forbidden of ['secrets', 'pods/exec', 'pods/attach', 'pods/portforward', 'serviceaccounts/token']) expect(resources).not.toContain(forbidden);
    expect(resources).toEqual(expect.arrayContaining(['pods', 'pods/log', 'deployments', 'configmaps', 'events']));
    expect(directAccessPaths(PEOPLE_READ_ONLY_RULES)).toEqual([]);
  });

  test('edit-no-secrets reads no Secret through the API, yet creates pods: the check counts that as access', () => {
    expect(directAccessPaths(PEOPLE_NO_SECRETS_RULES).join('\n')).toMatch(/create pods .*\n.*apps\/deployments/);
  });

  test.each([
    ['read-only', 0],
    ['edit-no-secrets', 0],
    ['edit', 0],
  ] as const)("a Team with peopleRole '%s' records it on its Namespace and passes the direct-access check", (role, count) => {
    const objects = render(role);
    expect(objects.find((o) => o.kind === 'Namespace')!.metadata.annotations).toEqual({ 'flotilla.dev/people-access': role });
    expect(check(objects)).toHaveLength(count);
  });

  test('a read-only namespace whose people are also bound to edit by hand fails the check', () => {
    const objects = render('read-only');
    const extra = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'break-glass', namespace: 'team-a' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'Group', name: 'team-a-developers' }] } as KubeObject;
    expect(check([...objects, extra]).map((f) => f.object)).toEqual(['RoleBinding team-a/break-glass']);
  });
});
