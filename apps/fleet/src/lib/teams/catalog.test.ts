import { describe, expect, it } from 'vitest';
import type { TeamConfig } from '@flotilla/workloads';
import { facts as devFacts } from '../clusters/dev/facts';
import { facts as prodFacts } from '../clusters/prod/facts';
import { comfyUiSettings, defineTeam, dj, imageOn, imagegen, teamA } from './index';

describe('the team catalog', () => {
  it('gives dev and prod the same teams, each declared once, with their environment\'s settings', () => {
    for (const team of [teamA, imagegen, dj]) {
      const onDev: TeamConfig = team.on(devFacts);
      const onProd: TeamConfig = team.on(prodFacts);
      // Hostnames are per environment (each team owns its own hosts on each cluster).
      expect({ ...onDev, quota: undefined, s3Volumes: undefined, egress: undefined, awsEgress: undefined, hostnames: undefined, peopleRole: undefined }).toEqual({ ...onProd, quota: undefined, s3Volumes: undefined, egress: undefined, awsEgress: undefined, hostnames: undefined, peopleRole: undefined });
      // No direct prod access: people read on prod and edit on dev.
      expect(onProd.peopleRole).toBe('read-only');
      expect(onDev.peopleRole).toBe('edit-no-secrets');
      expect(team.on(devFacts), 'one object per cluster').toBe(onDev);
    }
    expect(imagegen.on(devFacts).quota?.gpus).toBe(2);
    expect(imagegen.on(prodFacts).quota?.gpus).toBe(4);
    expect(dj.on(devFacts).hostnames).toEqual(['api.dev.example.com']);
    expect(dj.on(prodFacts).hostnames).toEqual(['api.example.com']);
  });

  it("derives cluster-specific values from the cluster's facts: the VPC's database CIDR, bucket names, its own registry", () => {
    expect(teamA.on(devFacts).egress?.[0]?.cidr).toBe('10.10.64.0/20');
    expect(teamA.on(prodFacts).egress?.[0]?.cidr).toBe('10.20.64.0/20');
    // config-demo's AppConfig Agent: prod's facts declare an appconfigdata VPC endpoint, dev's none (public endpoint)
    expect(teamA.on(prodFacts).awsEgress?.[0]?.endpoints).toEqual([{ service: 'appconfigdata', cidr: '10.20.96.0/24', viaVpcEndpoint: true }]);
    expect(teamA.on(devFacts).awsEgress?.[0]?.endpoints).toEqual([{ service: 'appconfigdata', cidr: '0.0.0.0/0', viaVpcEndpoint: false }]);
    expect(imagegen.on(prodFacts).s3Volumes?.[0]?.bucketName).toBe(prodFacts.bucketName('imagegen-outputs'));
    expect(comfyUiSettings(devFacts).image.registry).toBe(devFacts.registry);
    expect(comfyUiSettings(prodFacts).image.digest).toMatch(/^sha256:/);
  });

  it('reads an image without a registry host as one of the cluster\'s ECR, and keeps an explicit registry', () => {
    expect(imageOn(devFacts, 'dj/http-echo:1.0.0').toString()).toBe(`${devFacts.registry}/dj/http-echo:1.0.0`);
    expect(imageOn(devFacts, 'public.ecr.aws/nginx/nginx:1.29').registry).toBe('public.ecr.aws');
  });

  it('requires settings for every environment of the fleet (a compile error otherwise)', () => {
    // @ts-expect-error -- 'prod' is missing: the catalog is keyed by FleetEnvironment
    const partial = defineTeam<{ replicas: number }>({ name: 'x', costCenter: 'cc-0001', group: 'x', environments: { dev: { replicas: 1 } } });
    expect(partial.settings(devFacts)).toEqual({ replicas: 1 });
  });
});
