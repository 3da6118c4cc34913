import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import type { KubeObject } from '@flotilla/model';
import type { AppConfigBindingSpec } from './binding-spec';
import { DEFAULT_DEPLOYMENT_STRATEGIES, linearRollout } from './deployment-strategy';
import { APPCONFIG_SYNC_UNIT, appconfigSync } from './platform-unit';

const spec: AppConfigBindingSpec = {
  name: 'shop',
  team: { name: 'team-a', namespace: 'team-a', costCenter: 'cc-1001' },
  application: 'shop',
  environment: 'prod',
  profile: 'settings',
  schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
  ids: { applicationId: 'ba8toh7', environmentId: 'pgil2o7', configurationProfileId: 'ga3tqep', deploymentStrategyId: 'st4rt9x' },
};
const prod = fixtureCluster('prod', [], { environment: 'prod', artifacts: { bucket: 'flotilla-artifacts' } });
const dev = fixtureCluster('dev', [], { artifacts: { bucket: 'flotilla-artifacts' } });
const render = (cluster = prod, bindings: AppConfigBindingSpec[] = [spec], extra = {}) => renderUnit(appconfigSync({ bindings, ...extra }).find((u) => u.name === APPCONFIG_SYNC_UNIT)!, cluster);
const specOf = (o: KubeObject): any => (o as { spec?: unknown }).spec;
const policyOf = (role: KubeObject, name: string) => JSON.parse(specOf(role).inlinePolicies[name]).Statement;

describe('AppConfig guardrails', () => {
  it('defaults prod to linear growth, 20 % every 2 minutes with a 10 minute bake, and dev to all at once', () => {
    expect(specOf(findObject(render(), 'DeploymentStrategy', 'team-a-shop-rollout')).forProvider).toMatchObject({
      name: 'flotilla-team-a-shop-rollout',
      growthType: 'LINEAR',
      growthFactor: 20,
      deploymentDurationInMinutes: 10,
      finalBakeTimeInMinutes: 10,
    });
    expect(specOf(findObject(render(dev), 'DeploymentStrategy', 'team-a-shop-rollout')).forProvider).toMatchObject({ growthFactor: 100, deploymentDurationInMinutes: 0, finalBakeTimeInMinutes: 0 });
    // stateless: the destructive-change guard may let it be replaced (the former '-immediate' strategy is orphaned)
    expect(findObject(render(), 'DeploymentStrategy', 'team-a-shop-rollout').metadata?.annotations).toEqual({ 'flotilla.dev/allow-destructive': 'a deployment strategy holds no data: all its settings are in Git' });
    expect(DEFAULT_DEPLOYMENT_STRATEGIES.staging).toMatchObject({ growthFactor: 50, finalBakeTime: Duration.minutes(2) });
    // linear 25 % every 3 minutes = 4 steps = 12 minutes
    expect(linearRollout({ stepPercent: 25, stepInterval: Duration.minutes(3), finalBakeTime: Duration.minutes(5) }).deploymentDuration.toMinutes()).toBe(12);
  });

  it('fails if a strategy is not whole minutes or its growth is out of range', () => {
    expect(() => render(prod, [spec], { deploymentStrategy: { growthFactor: 0 } })).toThrow(/'deploymentStrategy.growthFactor' \(0\) must be a whole percentage from 1 to 100/);
    expect(() => render(prod, [spec], { deploymentStrategy: { finalBakeTime: Duration.seconds(90) } })).toThrow(/'deploymentStrategy.finalBakeTime' \(90000 ms\) must be a whole number of minutes/);
  });

  it("monitors the environment with the workload's restart alarm, read by a role that may only describe alarms", () => {
    const objects = render();
    expect(specOf(findObject(objects, 'Environment', 'team-a-shop')).forProvider.monitor).toEqual([
      { alarmArn: 'arn:aws:cloudwatch:eu-north-1:123456789012:alarm:prod-appconfig-team-a-shop-restarts', alarmRoleArn: 'arn:aws:iam::123456789012:role/prod-appconfig-monitor' },
    ]);
    const alarm = specOf(findObject(objects, 'MetricAlarm', 'team-a-shop-restarts'));
    expect(alarm.metrics[0].metricStat.metric).toEqual({
      namespace: 'ContainerInsights',
      metricName: 'pod_number_of_container_restarts',
      dimensions: [
        { name: 'ClusterName', value: 'prod' },
        { name: 'Namespace', value: 'team-a' },
        { name: 'PodName', value: 'shop' },
      ],
    });
    expect([alarm.metrics[1].expression, alarm.threshold, alarm.comparisonOperator]).toEqual(['DIFF(restarts)', 1, 'GreaterThanOrEqualToThreshold']);
    const role = specOf(findObject(objects, 'Role', 'appconfig-monitor'));
    expect(JSON.parse(role.assumeRolePolicyDocument).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'appconfig.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } },
    ]);
    expect(JSON.parse(role.inlinePolicies['describe-alarms']).Statement).toEqual([{ Sid: 'ReadMonitorAlarms', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: '*' }]);
    // monitor: false drops the alarm, the environment monitor and (with no other monitor) the role
    const off = render(prod, [{ ...spec, monitor: false }]);
    expect(off.filter((o) => o.kind === 'MetricAlarm' && o.metadata?.name === 'team-a-shop-restarts')).toEqual([]);
    expect(specOf(findObject(off, 'Environment', 'team-a-shop')).forProvider).not.toHaveProperty('monitor');
    expect(off.filter((o) => o.metadata?.name === 'appconfig-monitor')).toEqual([]);
  });

  it('types feature-flag profiles, hosted only', () => {
    const flags = { ...spec, schema: undefined, profileType: 'AWS.AppConfig.FeatureFlags' as const };
    expect(specOf(findObject(render(prod, [flags]), 'ConfigurationProfile', 'team-a-shop')).forProvider.type).toBe('AWS.AppConfig.FeatureFlags');
    expect(specOf(findObject(render(), 'ConfigurationProfile', 'team-a-shop')).forProvider.type).toBe('AWS.Freeform');
    expect(() => render(prod, [{ ...flags, location: { type: 'ssm-parameter', parameterName: 'p', retrievalRoleArn: 'arn:aws:iam::123456789012:role/r' } }])).toThrow(
      /a feature-flag profile \('AWS.AppConfig.FeatureFlags'\) lives in the AppConfig hosted store; remove 'location'/,
    );
    expect(() => render(prod, [{ ...spec, profileType: 'AWS.Freeform.Json' as never }])).toThrow(/'profileType' \('AWS.Freeform.Json'\) must be one of AWS.Freeform, AWS.AppConfig.FeatureFlags/);
  });

  it('on prod, editors write versions of their profile only and deployments need the approver role, with the binding strategy only', () => {
    const objects = render();
    const app = 'arn:aws:appconfig:eu-north-1:123456789012:application/ba8toh7';
    const editor = findObject(objects, 'Role', 'team-a-shop-editor');
    expect(specOf(editor).name).toBe('prod-appconfig-team-a-shop-editor');
    const editorActions = policyOf(editor, 'editor').flatMap((s: any) => [s.Action].flat());
    expect(editorActions).toContain('appconfig:CreateHostedConfigurationVersion');
    expect(editorActions).not.toContain('appconfig:StartDeployment');
    expect(policyOf(editor, 'editor').find((s: any) => s.Sid === 'WriteVersions').Resource).toBe(`${app}/configurationprofile/ga3tqep`);
    const approver = findObject(objects, 'Role', 'team-a-shop-approver');
    expect(policyOf(approver, 'approver').find((s: any) => s.Sid === 'DeployThisProfileToThisEnvironment')).toEqual({
      Sid: 'DeployThisProfileToThisEnvironment',
      Effect: 'Allow',
      Action: ['appconfig:StartDeployment', 'appconfig:StopDeployment'],
      Resource: [app, `${app}/environment/pgil2o7`, `${app}/configurationprofile/ga3tqep`, 'arn:aws:appconfig:eu-north-1:123456789012:deploymentstrategy/st4rt9x', `${app}/environment/pgil2o7/deployment/*`],
    });
    expect(policyOf(approver, 'approver').flatMap((s: any) => [s.Action].flat())).not.toContain('appconfig:CreateHostedConfigurationVersion');
    // team members of the account assume them (principal tag team=team-a)
    expect(JSON.parse(specOf(editor).assumeRolePolicyDocument).Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:PrincipalTag/team': 'team-a' } },
    });
  });

  it('off prod, editors deploy themselves and there is no approver; named principals replace the team tag', () => {
    const objects = render(dev, [{ ...spec, editors: { principalArns: ['arn:aws:iam::123456789012:role/team-a-editors'] } }]);
    const editor = findObject(objects, 'Role', 'team-a-shop-editor');
    expect(policyOf(editor, 'editor').flatMap((s: any) => [s.Action].flat())).toContain('appconfig:StartDeployment');
    expect(objects.filter((o) => o.metadata?.name === 'team-a-shop-approver')).toEqual([]);
    expect(JSON.parse(specOf(editor).assumeRolePolicyDocument).Statement[0].Principal).toEqual({ AWS: ['arn:aws:iam::123456789012:role/team-a-editors'] });
    expect(() => render(dev, [{ ...spec, editors: { principalArns: ['team-a'] } }])).toThrow(/'editors.principalArns' has 'team-a', which is not an IAM role or user ARN/);
  });
});
