import { Duration, type Unit } from '@flotilla/config';
import { ack } from '@flotilla/charts/ack';
import { crossplane } from '@flotilla/charts/crossplane';
import { externalSecrets } from '@flotilla/charts/external-secrets';
import { gatekeeper } from '@flotilla/charts/gatekeeper';
import { karpenterController } from '@flotilla/charts/karpenter';
import { kong } from '@flotilla/charts/kong';
import { mountpointS3Csi } from '@flotilla/charts/mountpoint-s3-csi';
import { reloader } from '@flotilla/charts/reloader';
import { ACCESS_ROLE_SUFFIX } from '@flotilla/charts/secret-stores';
import { secretsStoreCsi } from '@flotilla/charts/secrets-store-csi';

/** Add-on controllers this cluster runs (layer infra-controllers), each with its typed settings. */
export const platformControllers: Unit[] = [
  ...ack({ logLevel: 'info' }),
  ...externalSecrets({ replicas: 2, concurrent: 4, assumableRoleSuffixes: [ACCESS_ROLE_SUFFIX] }),
  reloader({ replicas: 2 }),
  gatekeeper({
    replicas: 3,
    auditInterval: Duration.seconds(60),
    failurePolicy: 'Fail',
    exemptNamespaces: ['kube-system', 'flux-system'],
  }),
  ...crossplane({ replicas: 2 }),
  secretsStoreCsi({ rotationPollInterval: Duration.minutes(5) }),
  ...mountpointS3Csi({ buckets: [{ name: 'imagegen-outputs-222222222222-eu-north-1', access: 'read-write' }] }),
  ...kong({ replicas: 3, loadBalancerScheme: 'internet-facing' }),
  ...karpenterController({ replicas: 2 }),
];
