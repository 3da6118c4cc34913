import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, it } from 'vitest';
import type { Unit } from '@flotilla/config';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { SchemaValidator, checkReferences } from '@flotilla/validate';
import { ack } from '@flotilla/charts/platform/ack';
import { teams } from '@flotilla/charts/platform/teams';
import { crossplane } from '@flotilla/charts/platform/crossplane';
import { externalSecrets } from '@flotilla/charts/platform/external-secrets';
import { secretStores } from '@flotilla/charts/platform/secret-stores';
import { readArtifact, readSignedArtifacts } from '@flotilla/appconfig-contract/artifact';
import { RemovalPolicy } from '@flotilla/constructs';
import { ACCESS_ROLE_SUFFIX, ImageReference, WebService, WorkloadIdentity, awsEgressFor } from '@flotilla/workloads';
import { AppConfigBinding, type AppConfigDelivery } from './binding';
import { bindingReadStatements, type AppConfigBindingSpec } from './binding-spec';
import { APPCONFIG_SYNC_UNIT, appconfigSync, type AppConfigSyncProps } from './platform-unit';

const team = { name: 'team-a', namespace: 'team-a', costCenter: 'cc-1001' };
const spec: AppConfigBindingSpec = {
  name: 'shop',
  team,
  application: 'shop',
  environment: 'dev',
  profile: 'settings',
  schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
  ids: { applicationId: 'ba8toh7', environmentId: 'pgil2o7', configurationProfileId: 'ga3tqep' },
};
const DLQ = 'arn:aws:sqs:eu-north-1:123456789012:appconfig-sync-dlq';

/** A tenant app that binds one profile: identity with the read statements, a WebService, the binding. */
function shopApp(binding: AppConfigBindingSpec, delivery?: AppConfigDelivery): Unit {
  return {
    name: 'shop',
    project: 'shop',
    layer: 'apps',
    render(scope, { cluster }) {
      const identity = new WorkloadIdentity(scope, 'Identity', { team, serviceAccountName: 'shop', cluster, statements: bindingReadStatements(cluster, binding) });
      const web = new WebService(scope, 'Web', {
        team,
        name: 'shop',
        image: ImageReference.parse('public.ecr.aws/docker/library/busybox:1.37.0'),
        resources: { cpu: kplus.Cpu.millis(50), memory: Size.mebibytes(64) },
        serviceAccount: identity.serviceAccount,
      });
      new AppConfigBinding(scope, 'AppConfig', { cluster, spec: binding, workload: web.deployment, delivery });
    },
  };
}

/** The `appconfig-sync-platform` unit alone (the provider units are tested below). */
const sync = (props: AppConfigSyncProps): Unit => appconfigSync(props).find((u) => u.name === APPCONFIG_SYNC_UNIT)!;
const platformUnits = appconfigSync({ bindings: [spec], deadLetterTargetArn: DLQ });
const platform = sync({ bindings: [spec], deadLetterTargetArn: DLQ });
const cluster = fixtureCluster('dev', [], { artifacts: { bucket: 'flotilla-artifacts', prefix: 'lambda/' } });
const specOf = (o: KubeObject): any => (o as { spec?: unknown }).spec;

describe('the rendered chain for one binding', () => {
  const platformObjects = renderUnit(platform, cluster);
  const appObjects = renderUnit(shopApp(spec), cluster);

  it('renders exactly the expected objects on the platform and app sides', () => {
    expect(platformObjects.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`)).toEqual([
      'Role/ack-system/appconfig-monitor',
      'Role/ack-system/appconfig-sync',
      'Function/ack-system/appconfig-sync',
      'Alias/ack-system/appconfig-sync-live',
      'Application//team-a-shop',
      'MetricAlarm/ack-system/team-a-shop-restarts',
      'Environment//team-a-shop',
      'ExternalSecret/crossplane-system/team-a-shop-appconfig-schema',
      'ConfigurationProfile//team-a-shop',
      'DeploymentStrategy//team-a-shop-rollout',
      'ExtensionAssociation//team-a-shop-eventbridge',
      'Secret/ack-system/team-a-shop',
      'Role/ack-system/team-a-shop-editor',
      'Rule/ack-system/team-a-shop',
      // the DLQ is given (DLQ), so the unit declares no queue of its own
      'Topic/ack-system/alarms',
      'MetricAlarm/ack-system/appconfig-sync-errors',
      'MetricAlarm/ack-system/appconfig-sync-throttles',
      'MetricAlarm/ack-system/appconfig-sync-dlq-depth',
      'MetricAlarm/ack-system/appconfig-sync-failed-team-a-shop',
    ]);
    expect(appObjects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      'Role/team-a-shop',
      'PodIdentityAssociation/team-a-shop',
      'ServiceAccount/shop',
      'Deployment/shop',
      'Service/shop',
      'HorizontalPodAutoscaler/shop',
      'PodDisruptionBudget/shop',
      'ExternalSecret/shop-appconfig-version',
    ]);
  });

  it('declares the hash secret without secretString, tagged for the team store, retained', () => {
    const secret = findObject(platformObjects, 'Secret', 'team-a-shop');
    expect(secret.apiVersion).toBe('secretsmanager.services.k8s.aws/v1alpha1');
    expect(secret.metadata?.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'retain' });
    expect(specOf(secret)).not.toHaveProperty('secretString');
    expect(specOf(secret).name).toBe('flotilla/dev/appconfig/team-a/shop');
    expect(specOf(secret).tags).toContainEqual({ key: 'tenant', value: 'team-a' });
  });

  it('matches only this profile on the default bus and sends the secret id to the alias', () => {
    const rule = specOf(findObject(platformObjects, 'Rule', 'team-a-shop'));
    expect(rule.name).toBe('dev-appconfig-team-a-shop');
    expect(rule).not.toHaveProperty('eventBusName');
    expect(JSON.parse(rule.eventPattern)).toEqual({
      source: ['aws.appconfig'],
      'detail-type': [{ prefix: 'On Deployment' }],
      detail: {
        Type: ['OnDeploymentComplete', { prefix: 'OnDeploymentRoll' }],
        Application: { Id: ['ba8toh7'] },
        Environment: { Id: ['pgil2o7'] },
        ConfigurationProfile: { Id: ['ga3tqep'] },
      },
    });
    expect(rule.targets).toEqual([
      {
        id: 'appconfig-sync',
        arn: 'arn:aws:lambda:eu-north-1:123456789012:function:dev-appconfig-sync:live',
        inputTransformer: {
          inputTemplate: '{"schema":"flotilla.appconfig-sync/v1","secretId":"flotilla/dev/appconfig/team-a/shop","rule":"<aws.events.rule-arn>","event":<aws.events.event.json>}',
        },
        retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 900 },
        deadLetterConfig: { arn: DLQ },
      },
    ]);
  });

  it('grants the Lambda exactly this profile and this secret, and the rule exactly the alias', () => {
    const role = specOf(findObject(platformObjects, 'Role', 'appconfig-sync'));
    const app = 'arn:aws:appconfig:eu-north-1:123456789012:application/ba8toh7';
    expect(JSON.parse(role.inlinePolicies['appconfig-team-a-shop'])).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadProfile', Effect: 'Allow', Action: ['appconfig:GetConfigurationProfile'], Resource: [`${app}/configurationprofile/ga3tqep`] },
        { Sid: 'ReadHostedVersions', Effect: 'Allow', Action: ['appconfig:GetHostedConfigurationVersion'], Resource: [`${app}/configurationprofile/ga3tqep/hostedconfigurationversion/*`] },
        { Sid: 'ListDeployments', Effect: 'Allow', Action: ['appconfig:ListDeployments'], Resource: [`${app}/environment/pgil2o7`] },
        { Sid: 'ReadDeployments', Effect: 'Allow', Action: ['appconfig:GetDeployment'], Resource: [`${app}/environment/pgil2o7/deployment/*`] },
        {
          Sid: 'WriteHashSecret',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
          Resource: ['arn:aws:secretsmanager:eu-north-1:123456789012:secret:flotilla/dev/appconfig/team-a/shop-??????'],
        },
      ],
    });
    expect(JSON.parse(role.inlinePolicies['dead-letter']).Statement).toEqual([{ Sid: 'SendFailedEvents', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: DLQ }]);
    expect(JSON.parse(role.assumeRolePolicyDocument).Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(role.policies).toEqual(['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    expect(specOf(findObject(platformObjects, 'Alias', 'appconfig-sync-live')).permissions).toEqual([
      {
        statementId: 'events-team-a-shop',
        action: 'lambda:InvokeFunction',
        principal: 'events.amazonaws.com',
        sourceArn: 'arn:aws:events:eu-north-1:123456789012:rule/dev-appconfig-team-a-shop',
        sourceAccount: '123456789012',
      },
    ].map(({ statementId, sourceArn, ...rest }) => ({ ...rest, statementID: statementId, sourceARN: sourceArn })));
  });

  it("deploys the cluster's signed copy of the committed artifact from the cluster bucket as a Zip with a dead-letter queue", () => {
    const fn = specOf(findObject(platformObjects, 'Function', 'appconfig-sync'));
    const artifact = readArtifact();
    const signed = readSignedArtifacts();
    expect(signed.fileName).toBe(artifact.fileName);
    // The signed package's digest: what ACK compares with the deployed CodeSha256.
    expect(fn.code).toEqual({ s3Bucket: 'flotilla-artifacts', s3Key: `lambda/signed/${artifact.fileName}`, sha256: signed.clusters.dev!.sha256 });
    expect([fn.packageType, fn.runtime, fn.handler]).toEqual(['Zip', 'nodejs24.x', 'index.handler']);
    expect(fn.deadLetterConfig).toEqual({ targetARN: DLQ });
    expect(fn.roleRef).toEqual({ from: { name: 'appconfig-sync' } });
    expect(fn.codeSigningConfigRef).toEqual({ from: { name: 'flotilla-lambda' } });
  });

  it("creates the AppConfig side with Crossplane: the environment's strategy (dev: all at once), EventBridge extension, orphaned on delete", () => {
    const strategy = specOf(findObject(platformObjects, 'DeploymentStrategy', 'team-a-shop-rollout'));
    expect(strategy.deletionPolicy).toBe('Orphan');
    expect(strategy.forProvider).toMatchObject({ deploymentDurationInMinutes: 0, finalBakeTimeInMinutes: 0, growthFactor: 100, growthType: 'LINEAR' });
    const association = specOf(findObject(platformObjects, 'ExtensionAssociation', 'team-a-shop-eventbridge'));
    expect(association.forProvider).toEqual({
      region: 'eu-north-1',
      extensionArn: 'arn:aws:appconfig:eu-north-1::extension/AWS.AppConfig.DeploymentNotificationsToEventBridge/1',
      resourceArnRef: { name: 'team-a-shop' },
    });
    expect(findObject(platformObjects, 'Environment', 'team-a-shop').metadata?.annotations).toEqual({ 'crossplane.io/external-name': 'pgil2o7:ba8toh7' });
    expect(specOf(findObject(platformObjects, 'ConfigurationProfile', 'team-a-shop')).forProvider).toMatchObject({ name: 'settings', locationUri: 'hosted', applicationIdRef: { name: 'team-a-shop' } });
  });

  it('syncs the hash every minute through the team store and restarts the workload on change, labelling the Secret for the scoped Reloader', () => {
    const es = specOf(findObject(appObjects, 'ExternalSecret', 'shop-appconfig-version'));
    expect(es).toEqual({
      refreshInterval: '1m',
      secretStoreRef: { kind: 'SecretStore', name: 'aws-secrets-manager' },
      target: {
        name: 'shop-appconfig-version',
        creationPolicy: 'Owner',
        template: { metadata: { labels: { team: 'team-a', 'cost-center': expect.any(String), 'reloader.flotilla.dev/watch': 'true' } } },
      },
      data: [{ secretKey: 'appconfig-version-hash', remoteRef: { key: 'flotilla/dev/appconfig/team-a/shop', property: 'appconfig-version-hash' } }],
    });
    expect(findObject(appObjects, 'Deployment', 'shop').metadata?.annotations).toEqual({ 'secret.reloader.stakater.com/reload': 'shop-appconfig-version' });
  });

  it('runs the AppConfig Agent as a native sidecar on port 2772 that prefetches the profile', () => {
    const pod = specOf(findObject(appObjects, 'Deployment', 'shop')).template.spec;
    const [agent] = pod.initContainers;
    expect(agent.name).toBe('appconfig-agent');
    expect(agent.restartPolicy).toBe('Always');
    expect(agent.image).toMatch(/^public\.ecr\.aws\/aws-appconfig\/aws-appconfig-agent:\d+\.\d+\.\d+$/);
    expect(agent.ports).toEqual([{ containerPort: 2772, name: 'appconfig' }]);
    expect(agent.env).toContainEqual({ name: 'PREFETCH_LIST', value: 'shop:dev:settings' });
    expect(agent.startupProbe.httpGet).toEqual({ path: '/applications/shop/environments/dev/configurations/settings', port: 2772, scheme: 'HTTP' });
    expect(pod.containers[0].env).toContainEqual({ name: 'APPCONFIG_URL', value: 'http://localhost:2772/applications/shop/environments/dev/configurations/settings' });
  });

  it('gives the workload role the data-plane read of exactly this profile', () => {
    const role = specOf(findObject(appObjects, 'Role', 'team-a-shop'));
    expect(JSON.parse(role.inlinePolicies['team-a-shop']).Statement).toEqual([
      {
        Sid: 'ReadAppConfigProfile',
        Effect: 'Allow',
        Action: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
        Resource: 'arn:aws:appconfig:eu-north-1:123456789012:application/ba8toh7/environment/pgil2o7/configuration/ga3tqep',
      },
    ]);
  });

  it('passes the pinned schemas and CEL rules with zero errors, and every reference resolves with the ACK and teams units', () => {
    // The shop's agent reaches AppConfig Data and the Pod Identity Agent (else network/aws-egress fails).
    const publicEndpoints = { ipFamily: 'ipv4' as const, awsEndpointRoute: (service: string) => ({ service, cidr: '0.0.0.0/0', viaVpcEndpoint: false }) };
    const awsEgress = [awsEgressFor(publicEndpoints, { name: 'shop', podLabels: { 'app.kubernetes.io/name': 'shop' }, credentials: 'pod-identity', services: ['appconfigdata'] })];
    // crossplane-system and the platform store that admits it carry the profile schema's ExternalSecret.
    const units = [...ack(), ...crossplane(), ...externalSecrets({ assumableRoleSuffixes: [ACCESS_ROLE_SUFFIX] }), secretStores({ platformNamespaces: ['crossplane-system'] }), teams({ teams: [{ ...team, group: 'team-a-developers', awsEgress }] }), ...platformUnits, shopApp(spec)];
    const rendered: RenderedObject[] = units.flatMap((unit) => renderUnit(unit, cluster).map((object, index) => ({ file: `${unit.name}/${index}`, index, object, cluster: 'dev' })));
    expect(SchemaValidator.load().validate(rendered).filter((f) => f.severity === 'error')).toEqual([]);
    expect(checkReferences(rendered).filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('AppConfigBinding options', () => {
  it('writes the configuration to a shared file with an init container when asked', () => {
    const objects = renderUnit(shopApp(spec, { mode: 'init-container' }), cluster);
    const pod = specOf(findObject(objects, 'Deployment', 'shop')).template.spec;
    const [fetch] = pod.initContainers;
    expect(fetch.name).toBe('shop-appconfig');
    expect(fetch).not.toHaveProperty('restartPolicy');
    expect(fetch.env).toContainEqual({ name: 'APPCONFIG_FILE', value: '/etc/appconfig/configuration' });
    expect(fetch.volumeMounts).toContainEqual({ name: 'shop-appconfig', mountPath: '/etc/appconfig' });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'shop-appconfig', mountPath: '/etc/appconfig', readOnly: true });
    expect(pod.containers[0].env).toContainEqual({ name: 'APPCONFIG_FILE', value: '/etc/appconfig/configuration' });
  });

  it('uses the given refresh interval and turns off rollback restarts in the rule input', () => {
    const quiet = { ...spec, restartOnRollback: false };
    const rule = specOf(findObject(renderUnit(sync({ bindings: [quiet], deadLetterTargetArn: DLQ }), cluster), 'Rule', 'team-a-shop'));
    expect(rule.targets[0].inputTransformer.inputTemplate).toContain('"restartOnRollback":false,');
    const app: Unit = {
      ...shopApp(quiet),
      render(scope, { cluster: c }) {
        const web = new WebService(scope, 'Web', { team, name: 'shop', image: ImageReference.parse('public.ecr.aws/docker/library/busybox:1.37.0'), resources: { cpu: kplus.Cpu.millis(50), memory: Size.mebibytes(64) } });
        new AppConfigBinding(scope, 'AppConfig', { cluster: c, spec: quiet, workload: web.deployment, refreshInterval: Duration.seconds(90) });
      },
    };
    expect(specOf(findObject(renderUnit(app, cluster), 'ExternalSecret', 'shop-appconfig-version')).refreshInterval).toBe('1m30s');
  });

  it('renders only the AppConfig resources and the secret while the IDs are unknown (phase 1)', () => {
    const pending = { ...spec, ids: undefined };
    const objects = renderUnit(sync({ bindings: [pending], deadLetterTargetArn: DLQ }), cluster);
    expect(objects.map((o) => o.kind)).toEqual([
      'Role',
      'Role',
      'Function',
      'Alias',
      'Application',
      'MetricAlarm',
      'Environment',
      'ExternalSecret',
      'ConfigurationProfile',
      'DeploymentStrategy',
      'ExtensionAssociation',
      'Secret',
      'Topic',
      'MetricAlarm',
      'MetricAlarm',
      'MetricAlarm',
    ]);
    expect(specOf(findObject(objects, 'Alias', 'appconfig-sync-live'))).not.toHaveProperty('permissions');
    expect(Object.keys(specOf(findObject(objects, 'Role', 'appconfig-sync')).inlinePolicies)).toEqual(['dead-letter']);
    expect(findObject(objects, 'Application', 'team-a-shop').metadata).not.toHaveProperty('annotations');
  });

  it('reads S3 profiles with their retrieval role, lets the provider pass only that role and the monitor role, and can delete instead of retain', () => {
    const s3 = { ...spec, location: { type: 's3' as const, bucket: 'configs', key: 'shop.json', retrievalRoleArn: 'arn:aws:iam::123456789012:role/appconfig-read' } };
    const [identity, , unit] = appconfigSync({ bindings: [s3], deadLetterTargetArn: DLQ, removalPolicy: RemovalPolicy.DESTROY });
    const objects = renderUnit(unit!, cluster);
    expect(specOf(findObject(objects, 'ConfigurationProfile', 'team-a-shop')).forProvider).toMatchObject({
      locationUri: 's3://configs/shop.json',
      retrievalRoleArn: 'arn:aws:iam::123456789012:role/appconfig-read',
    });
    expect(specOf(findObject(objects, 'Application', 'team-a-shop')).deletionPolicy).toBe('Delete');
    expect(findObject(objects, 'Secret', 'team-a-shop').metadata?.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'delete' });
    const policy = JSON.parse(specOf(findObject(renderUnit(identity!, cluster), 'Role', 'crossplane-provider-aws-appconfig')).inlinePolicies['crossplane-provider-aws-appconfig']);
    expect(policy.Statement[1]).toEqual({
      Sid: 'PassRetrievalAndMonitorRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: ['arn:aws:iam::123456789012:role/appconfig-read', 'arn:aws:iam::123456789012:role/dev-appconfig-monitor'],
      Condition: { StringEquals: { 'iam:PassedToService': 'appconfig.amazonaws.com' } },
    });
  });

  it('fails if the container is unknown or the refresh interval is below 10 seconds', () => {
    const bind = (props: { containerName?: string; refreshInterval?: Duration }): Unit => ({
      ...shopApp(spec),
      render(scope, { cluster: c }) {
        const web = new WebService(scope, 'Web', { team, name: 'shop', image: ImageReference.parse('public.ecr.aws/docker/library/busybox:1.37.0'), resources: { cpu: kplus.Cpu.millis(50), memory: Size.mebibytes(64) } });
        new AppConfigBinding(scope, 'AppConfig', { cluster: c, spec, workload: web.deployment, ...props });
      },
    });
    expect(() => renderUnit(bind({ containerName: 'app' }), cluster)).toThrow(/container 'app' not found in workload 'shop' \(containers: 'shop'\); set 'containerName' to one of them/);
    expect(() => renderUnit(bind({ refreshInterval: Duration.seconds(5) }), cluster)).toThrow(/'refreshInterval' \(5000 ms\) must be whole seconds and at least 10s/);
  });

  it('fails if the workload is in another namespace', () => {
    const app: Unit = {
      ...shopApp(spec),
      render(scope, { cluster: c }) {
        const other = { ...team, name: 'team-b', namespace: 'team-b' };
        const web = new WebService(scope, 'Web', { team: other, name: 'shop', image: ImageReference.parse('public.ecr.aws/docker/library/busybox:1.37.0'), resources: { cpu: kplus.Cpu.millis(50), memory: Size.mebibytes(64) } });
        new AppConfigBinding(scope, 'AppConfig', { cluster: c, spec, workload: web.deployment });
      },
    };
    expect(() => renderUnit(app, cluster)).toThrow(/the workload 'shop' is in namespace 'team-b', the binding in 'team-a'; bind a workload of the same team/);
  });
});

describe('appconfig-sync-platform unit', () => {
  it('is an infra-configs unit named after its project, after the AppConfig provider units', () => {
    expect(platformUnits.map((u) => [u.name, u.project, u.layer, u.dependsOn ?? []])).toEqual([
      ['appconfig-sync-platform.identity', 'appconfig-sync-platform', 'infra-controllers', ['ack.iam', 'ack.eks']],
      ['appconfig-sync-platform.provider', 'appconfig-sync-platform', 'infra-controllers', ['crossplane', 'appconfig-sync-platform.identity']],
      // The signing unit renders the CodeSigningConfig its Function references.
      ['appconfig-sync-platform', 'appconfig-sync-platform', 'infra-configs', ['signing']],
    ]);
    expect(appconfigSync({ bindings: [], deadLetterTargetArn: DLQ, installProvider: false }).map((u) => u.name)).toEqual(['appconfig-sync-platform']);
  });

  it('makes Flux wait for AWS: the provider installed, ACK objects synced, AppConfig resources ready', () => {
    expect(platformUnits[1]!.flux?.healthCheckExprs).toEqual([
      { apiVersion: 'pkg.crossplane.io/v1', kind: 'Provider', current: "status.conditions.exists(c, c.type == 'Installed' && c.status == 'True') && status.conditions.exists(c, c.type == 'Healthy' && c.status == 'True')" },
    ]);
    const checks = platform.flux?.healthCheckExprs ?? [];
    expect(checks.map((c) => `${c.apiVersion}/${c.kind}`)).toEqual([
      'iam.services.k8s.aws/v1alpha1/Role',
      'lambda.services.k8s.aws/v1alpha1/Function',
      'lambda.services.k8s.aws/v1alpha1/Alias',
      'secretsmanager.services.k8s.aws/v1alpha1/Secret',
      'eventbridge.services.k8s.aws/v1alpha1/Rule',
      'sqs.services.k8s.aws/v1alpha1/Queue',
      'sns.services.k8s.aws/v1alpha1/Topic',
      'cloudwatch.services.k8s.aws/v1alpha1/MetricAlarm',
      ...['Application', 'Environment', 'ConfigurationProfile', 'DeploymentStrategy', 'ExtensionAssociation'].map((k) => `appconfig.aws.upbound.io/v1beta1/${k}`),
    ]);
    expect(checks[3]).toEqual({
      apiVersion: 'secretsmanager.services.k8s.aws/v1alpha1',
      kind: 'Secret',
      current: "status.conditions.exists(c, c.type == 'ACK.ResourceSynced' && c.status == 'True')",
      failed: "status.conditions.exists(c, c.type == 'ACK.Terminal' && c.status == 'True')",
    });
  });

  it('installs provider-aws-appconfig with its own Pod Identity role scoped to AppConfig in this account', () => {
    const [identity, provider] = platformUnits.map((u) => renderUnit(u, cluster));
    const pkg = findObject(provider!, 'Provider', 'provider-aws-appconfig');
    expect(pkg.metadata?.annotations).toEqual({ 'flotilla.dev/installs-crds': 'appconfig.aws.upbound.io' });
    expect(specOf(pkg).package).toBe('xpkg.upbound.io/upbound/provider-aws-appconfig:v2.6.0');
    expect(specOf(findObject(provider!, 'DeploymentRuntimeConfig', 'provider-aws-appconfig')).serviceAccountTemplate).toEqual({ metadata: { name: 'provider-aws-appconfig' } });
    const association = specOf(findObject(identity!, 'PodIdentityAssociation', 'crossplane-provider-aws-appconfig'));
    expect([association.namespace, association.serviceAccount]).toEqual(['crossplane-system', 'provider-aws-appconfig']);
    const policy = JSON.parse(specOf(findObject(identity!, 'Role', 'crossplane-provider-aws-appconfig')).inlinePolicies['crossplane-provider-aws-appconfig']);
    expect(policy.Statement[0].Resource).toEqual([
      'arn:aws:appconfig:eu-north-1:123456789012:application/*',
      'arn:aws:appconfig:eu-north-1:123456789012:deploymentstrategy/*',
      'arn:aws:appconfig:eu-north-1:123456789012:extensionassociation/*',
      'arn:aws:appconfig:eu-north-1::extension/*',
    ]);
  });

  it('fails if the cluster has no artifacts bucket', () => {
    expect(() => renderUnit(platform, fixtureCluster('dev', []))).toThrow(/cluster 'dev' has no 'artifacts.bucket'; set ClusterConfig.artifacts/);
  });

  it('fails if the dead-letter target is not an SQS or SNS ARN', () => {
    expect(() => renderUnit(sync({ bindings: [], deadLetterTargetArn: 'appconfig-dlq' }), cluster)).toThrow(/'deadLetterTargetArn' \('appconfig-dlq'\) must be an SQS queue or SNS topic ARN/);
  });

  it('fails if a binding is listed twice', () => {
    expect(() => renderUnit(sync({ bindings: [spec, spec], deadLetterTargetArn: DLQ }), cluster)).toThrow(/appconfig binding 'team-a\/shop' is listed twice/);
  });

  it('fails if two bindings name the same AppConfig application', () => {
    expect(() => renderUnit(sync({ bindings: [spec, { ...spec, name: 'shop-eu' }], deadLetterTargetArn: DLQ }), cluster)).toThrow(
      /appconfig bindings 'team-a\/shop' and 'team-a\/shop-eu' both name AppConfig application 'shop'; each binding owns its application/,
    );
  });

  it('fails if the inline policies outgrow the IAM role limit', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ ...spec, name: `shop-${i}`, application: `shop-${i}` }));
    expect(() => renderUnit(sync({ bindings: many, deadLetterTargetArn: DLQ }), cluster)).toThrow(/IAM allows 10240 per role/);
  });
});
