import { describe, expect, it } from 'vitest';
import { eventKindOf, parseSyncInput } from './event';
import { APP, deploymentEvent, ENV, invocationPayload, PROFILE, SECRET } from '../testing';

describe('parseSyncInput', () => {
  it('reads the nested IDs, the numeric deployment number and the string version', () => {
    const parsed = parseSyncInput(invocationPayload(deploymentEvent({ deploymentNumber: 3, version: '17' })));
    expect(parsed).toEqual({
      ok: true,
      request: {
        secretId: SECRET,
        rule: expect.any(String),
        eventId: 'c53dbd72-c1a0-2302-9ed6-c076e9128277',
        kind: 'complete',
        restartOnRollback: true,
        identity: { applicationId: APP, environmentId: ENV, configurationProfileId: PROFILE, deploymentNumber: 3, eventType: 'OnDeploymentComplete', configurationVersion: '17' },
      },
    });
  });

  it('collects every problem in one reason and keeps what was valid for the log', () => {
    const event = deploymentEvent();
    const broken = { ...event, detail: { ...(event.detail as object), Environment: { Id: 'PROD' }, DeploymentNumber: 0, Type: 42 } };
    const parsed = parseSyncInput(invocationPayload(broken));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason.split('; ')).toEqual([
      'event.detail.Environment.Id must be an AppConfig ID (4-7 lowercase letters or digits), got "PROD"',
      'event.detail.DeploymentNumber must be a positive integer (a JSON number), got 0',
      'event.detail.Type must be an event type such as "OnDeploymentComplete", got 42',
    ]);
    expect(parsed.partial).toMatchObject({ secretId: SECRET, applicationId: APP, configurationProfileId: PROFILE, configurationVersion: '1' });
  });

  it.each([null, 'text', [1], 7])('fails if the input is not an object: %j', (input) => {
    expect(parseSyncInput(input)).toMatchObject({ ok: false, reason: expect.stringContaining('input must be the object rendered by targetInputFor()') });
  });

  it('reads the restartOnRollback opt-out and rejects a non-boolean', () => {
    const input = invocationPayload(deploymentEvent()) as object;
    const parsed = parseSyncInput({ ...input, restartOnRollback: false });
    expect(parsed.ok && parsed.request.restartOnRollback).toBe(false);
    expect(parseSyncInput({ ...input, restartOnRollback: 'no' })).toMatchObject({ ok: false, reason: 'restartOnRollback must be true or false, got "no"' });
  });

  it('fails if the schema marker is another version', () => {
    const input = { ...(invocationPayload(deploymentEvent()) as object), schema: 'flotilla.appconfig-sync/v2' };
    expect(parseSyncInput(input)).toMatchObject({ ok: false, reason: 'schema must be "flotilla.appconfig-sync/v1", got "flotilla.appconfig-sync/v2"' });
  });
});

describe('eventKindOf', () => {
  it.each([
    ['OnDeploymentComplete', 'complete'],
    ['OnDeploymentRolledBack', 'rollback'],
    ['OnDeploymentRollback', 'rollback'],
    ['OnDeploymentStart', 'ignored'],
    ['OnDeploymentStep', 'ignored'],
    ['OnDeploymentBaking', 'ignored'],
  ])('classifies %s as %s', (type, kind) => {
    expect(eventKindOf(type)).toBe(kind);
  });
});
