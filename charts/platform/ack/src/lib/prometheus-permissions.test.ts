import { describe, expect, it } from 'vitest';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import { ack } from './ack';

const cluster = fixtureCluster('dev', []);

describe('ack prometheusservice controller permissions', () => {
  it('creates only workspaces and rule groups tagged with the cluster, manages only those, and never removes the tag', () => {
    const role = findObject(renderUnits(ack(), cluster).get('ack.identity')!, 'Role', 'ack-prometheusservice-controller');
    const statements = JSON.parse(Object.values((role.spec as { inlinePolicies: Record<string, string> }).inlinePolicies)[0]!).Statement;
    const resources = ['arn:aws:aps:eu-north-1:123456789012:workspace/*', 'arn:aws:aps:eu-north-1:123456789012:rulegroupsnamespace/*/*'];
    expect(statements.map((s: { Sid: string; Resource: unknown; Condition: unknown }) => [s.Sid, s.Resource, s.Condition])).toEqual([
      ['CreateTaggedWorkspaces', resources, { StringEquals: { 'aws:RequestTag/flotilla.dev/cluster': 'dev' } }],
      ['ManageTaggedWorkspaces', resources, { StringEquals: { 'aws:ResourceTag/flotilla.dev/cluster': 'dev' } }],
      ['UntagOtherKeys', resources, { StringEquals: { 'aws:ResourceTag/flotilla.dev/cluster': 'dev' }, 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['flotilla.dev/cluster'] } }],
    ]);
    expect(statements.flatMap((s: { Action: string | string[] }) => s.Action)).not.toContain('aps:RemoteWrite');
  });
});
