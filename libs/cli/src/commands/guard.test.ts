import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guardCommand } from './guard';
import { configMap, dbInstance, fleetRepo, orders, type FleetRepo } from '../testing';

let fixture: FleetRepo;
const io = () => fixture.io();

beforeEach(async () => {
  fixture = await fleetRepo('flotilla-cli-guard-', orders(dbInstance(), configMap('info')));
});
afterEach(() => fixture.remove());

describe('flotilla guard', () => {
  it('passes a harmless change with exit 0', async () => {
    await fixture.edit(orders(dbInstance(), configMap('debug')));
    fixture.synth();
    const streams = io();

    expect(await guardCommand.run(['--base', 'HEAD'], streams)).toBe(0);

    expect(streams.stdout()).toContain('destructive-change guard passed\n');
  });

  it('fails with exit 1 when a retain policy is dropped, naming the object, field and reason', async () => {
    await fixture.edit(orders(dbInstance({ 'services.k8s.aws/deletion-policy': 'retain' })));
    fixture.synth();
    fixture.commit('retain');
    await fixture.edit(orders(dbInstance({ 'services.k8s.aws/deletion-policy': 'delete' })));
    fixture.synth();
    const streams = io();

    expect(await guardCommand.run(['--base', 'HEAD'], streams)).toBe(1);

    expect(streams.stdout()).toContain(
      'prod: DBInstance orders/orders (Kustomization flux-system/orders): metadata.annotations["services.k8s.aws/deletion-policy"]: deletion policy switches from retain to delete, so deleting the object deletes the AWS resource',
    );
    expect(streams.stdout()).toContain('destructive-change guard failed: 1 blocking change(s)');
  });

  it('blocks a change of the source that was never rendered: drift first, then the guard’s verdict on the source', async () => {
    // GIVEN the database's availability zone changed in the source, clusters/ not re-rendered
    await fixture.edit(orders(dbInstance({}, 'eu-north-1b'), configMap('info')));
    const streams = io();

    expect(await guardCommand.run(['--base', 'HEAD'], streams)).toBe(1);

    const lines = streams.stdout().split('\n');
    expect(lines[0]).toBe("drift: clusters/ differs from a fresh render of this change's source in 1 file(s); the diff below is rendered from source, but Flux applies the committed files:");
    expect(lines[1]).toBe('  changed  clusters/prod/infra-configs/orders/DBInstance.rds.services.k8s.aws_orders_orders.yaml');
    expect(lines[2]).toBe("run 'npm run synth' and commit clusters/");
    expect(streams.stdout()).toMatch(/prod: DBInstance orders\/orders \(Kustomization flux-system\/orders\): spec\.availabilityZone: field spec\.availabilityZone is immutable/);
  });

  it('reports an immutable-field change with the CRD’s own rule (ACK DBInstance availabilityZone), as JSON findings', async () => {
    await fixture.edit(orders(dbInstance({}, 'eu-north-1b'), configMap('info')));
    fixture.synth();
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
