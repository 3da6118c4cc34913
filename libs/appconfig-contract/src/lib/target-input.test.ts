import { describe, expect, it } from 'vitest';
import { parseSyncInput } from './event';
import { eventPatternFor, secretIdProblem, TARGET_INPUT_SCHEMA, targetInputFor } from './target-input';
import { APP, deploymentEvent, ENV, PROFILE, renderInputTemplate, RULE_ARN } from '../testing';

describe('targetInputFor', () => {
  it('renders an input transformer that carries the secret id next to the whole event', () => {
    const target = targetInputFor({ secretId: 'flotilla/shop/prod/web' });
    expect(target).toEqual({
      inputTransformer: {
        inputTemplate: '{"schema":"flotilla.appconfig-sync/v1","secretId":"flotilla/shop/prod/web","rule":"<aws.events.rule-arn>","event":<aws.events.event.json>}',
      },
    });
  });

  it('carries the restartOnRollback opt-out only when a binding sets it', () => {
    expect(targetInputFor({ secretId: 'web', restartOnRollback: true }).inputTransformer.inputTemplate).not.toContain('restartOnRollback');
    const input = JSON.parse(renderInputTemplate(targetInputFor({ secretId: 'web', restartOnRollback: false }).inputTransformer.inputTemplate, deploymentEvent()));
    expect(input.restartOnRollback).toBe(false);
  });

  it('produces, once EventBridge fills the variables, exactly the input the handler accepts', () => {
    // GIVEN the template rendered as EventBridge does for the predefined variables
    const event = deploymentEvent({ deploymentNumber: 12, version: '4' });
    const input = JSON.parse(renderInputTemplate(targetInputFor({ secretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:web-AbCdEf' }).inputTransformer.inputTemplate, event));
    // THEN the payload has the documented shape and parses into the request
    expect(input).toEqual({ schema: TARGET_INPUT_SCHEMA, secretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:web-AbCdEf', rule: RULE_ARN, event });
    const parsed = parseSyncInput(input);
    expect(parsed.ok && parsed.request).toMatchObject({ secretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:web-AbCdEf', rule: RULE_ARN, kind: 'complete' });
  });

  it.each([
    ['', /secretId must be a non-empty string/],
    ['web<aws.events.event>', /may only contain letters, digits and/],
    ['a"b', /may only contain/],
    ['x'.repeat(513), /at most 512 characters, got 513/],
  ])('fails if the secret id is %j', (secretId, message) => {
    expect(() => targetInputFor({ secretId })).toThrow(message);
  });

  it('accepts ARNs up to 2048 characters and names up to 512', () => {
    expect(secretIdProblem(`arn:aws:secretsmanager:eu-west-1:111122223333:secret:${'a'.repeat(500)}`)).toBeUndefined();
    expect(secretIdProblem('team/app_1+x=y.z@w-v')).toBeUndefined();
  });
});

describe('eventPatternFor', () => {
  it('filters one profile and only the event types the handler acts on', () => {
    const pattern = eventPatternFor({ applicationId: APP, environmentId: ENV, configurationProfileId: PROFILE });
    expect(JSON.parse(pattern)).toEqual({
      source: ['aws.appconfig'],
      'detail-type': [{ prefix: 'On Deployment' }],
      detail: {
        Type: ['OnDeploymentComplete', { prefix: 'OnDeploymentRoll' }],
        Application: { Id: [APP] },
        Environment: { Id: [ENV] },
        ConfigurationProfile: { Id: [PROFILE] },
      },
    });
    expect(pattern.length).toBeLessThanOrEqual(4096);
  });

  it('fails if an ID is a name instead of an AppConfig ID', () => {
    expect(() => eventPatternFor({ applicationId: 'Shop', environmentId: ENV, configurationProfileId: PROFILE })).toThrow(
      'eventPatternFor: applicationId must be an AppConfig ID (4-7 lowercase letters or digits), got "Shop"',
    );
  });
});
