// Fixtures for tests of both sides of the contract (the Lambda and the chart): an AppConfig deployment
// event, and the payload a rule target built by targetInputFor() hands the Lambda.
import { targetInputFor } from '../lib/target-input';

export const APP = 'ba8toh7';
export const ENV = 'pgil2o7';
export const PROFILE = 'ga3tqep';
export const SECRET = 'flotilla/shop/prod/web-appconfig';
export const RULE_ARN = 'arn:aws:events:eu-west-1:111122223333:rule/flotilla-appconfig-shop-prod-web';

/** An AppConfig deployment event in the documented shape (AWS docs sample, IDs nested, version a string). */
export function deploymentEvent(overrides: { type?: string; deploymentNumber?: number; version?: string; detailType?: string } = {}): Record<string, unknown> {
  const type = overrides.type ?? 'OnDeploymentComplete';
  return {
    version: '0',
    id: 'c53dbd72-c1a0-2302-9ed6-c076e9128277',
    'detail-type': overrides.detailType ?? 'On Deployment Complete',
    source: 'aws.appconfig',
    account: '111122223333',
    time: '2022-07-09T01:44:15Z',
    region: 'eu-west-1',
    resources: ['arn:aws:appconfig:eu-west-1:111122223333:extensionassociation/z763ff5'],
    detail: {
      InvocationId: '5tfjcig',
      Parameters: {},
      Type: type,
      Application: { Id: APP, Name: 'shop' },
      Environment: { Id: ENV, Name: 'prod' },
      ConfigurationProfile: { Id: PROFILE, Name: 'web' },
      DeploymentNumber: overrides.deploymentNumber ?? 1,
      ConfigurationVersion: overrides.version ?? '1',
    },
  };
}

/**
 * Renders an input template the way EventBridge does for the predefined variables used by targetInputFor():
 * `<aws.events.event.json>` becomes the event JSON (unescaped), `<aws.events.rule-arn>` the rule ARN.
 */
export function renderInputTemplate(template: string, event: unknown, ruleArn = RULE_ARN): string {
  return template.replaceAll('<aws.events.event.json>', JSON.stringify(event)).replaceAll('<aws.events.rule-arn>', ruleArn);
}

/** What the Lambda receives from a rule target built by targetInputFor() for `event`. */
export function invocationPayload(event: unknown, secretId = SECRET): unknown {
  return JSON.parse(renderInputTemplate(targetInputFor({ secretId }).inputTransformer.inputTemplate, event));
}
