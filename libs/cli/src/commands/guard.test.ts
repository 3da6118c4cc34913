import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guardCommand } from './guard';
import { configMap, dbInstance, renderedRepo, type RenderedRepo } from '../testing';

let fixture: RenderedRepo;
const git = (...args: string[]) => fixture.git(...args);
const render = (files: Record<string, string>) => fixture.render(files);
const io = () => fixture.io();

beforeEach(async () => {
  fixture = await renderedRepo('flotilla-cli-guard-');
});
afterEach(() => fixture.remove());

describe('flotilla guard', () => {
  it('passes a harmless change with exit 0', async () => {
    await render({
      'infra-configs/orders/DBInstance.rds.services.k8s.aws_orders_orders.yaml': dbInstance(),
      'infra-configs/orders/ConfigMap_orders_orders-config.yaml': configMap('debug'),
    });
    const streams = io();

    expect(await guardCommand.run(['--base', 'HEAD'], streams)).toBe(0);

    expect(streams.stdout()).toContain('destructive-change guard passed\n');
  });

  it('fails with exit 1 when a retain policy is dropped, naming the object, field and reason', async () => {
    await render({
      'infra-configs/orders/DBInstance.rds.services.k8s.aws_orders_orders.yaml': dbInstance('  annotations: {services.k8s.aws/deletion-policy: retain}\n'),
    });
    git('add', '.');
    git('commit', '--quiet', '-m', 'retain');
    await render({
      'infra-configs/orders/DBInstance.rds.services.k8s.aws_orders_orders.yaml': dbInstance('  annotations: {services.k8s.aws/deletion-policy: delete}\n'),
    });
    const streams = io();

    expect(await guardCommand.run(['--base', 'HEAD'], streams)).toBe(1);

    expect(streams.stdout()).toContain(
      'prod: DBInstance orders/orders (Kustomization flux-system/orders): metadata.annotations["services.k8s.aws/deletion-policy"]: deletion policy switches from retain to delete, so deleting the object deletes the AWS resource',
    );
    expect(streams.stdout()).toContain('destructive-change guard failed: 1 blocking change(s)');
  });

  it('reports an immutable-field change with the CRD’s own rule (ACK DBInstance availabilityZone), as JSON findings', async () => {
    await render({
      'infra-configs/orders/DBInstance.rds.services.k8s.aws_orders_orders.yaml': dbInstance('', 'eu-north-1b'),
      'infra-configs/orders/ConfigMap_orders_orders-config.yaml': configMap('info'),
    });
    const streams = io();

    const code = await guardCommand.run(['--base', 'HEAD', '--format', 'json'], streams);

    expect(code).toBe(1);
    expect(JSON.parse(streams.stdout())).toEqual({
      passed: false,
      findings: [
        {
          severity: 'error',
          code: 'guard/immutable-field',
          file: 'clusters/prod/infra-configs/orders/DBInstance.rds.services.k8s.aws_orders_orders.yaml',
          object: 'DBInstance orders/orders',
          cluster: 'prod',
          path: 'spec.availabilityZone',
          message: 'field spec.availabilityZone is immutable, the controller will reject this change: Value is immutable once set',
          fix: expect.stringMatching(/keep the old value/),
        },
      ],
    });
  });
});
