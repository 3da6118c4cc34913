import { type ClusterConfig, type Unit, unitCallSite } from '@flotilla/config';
import { ControllerNetworkPolicies, HelmAddon, PodIdentityRole, VERSIONS, identityUnit, identityUnitName, partitionOf } from '@flotilla/constructs';
import type { PolicyStatement } from '@flotilla/model';

export const KYVERNO_PROJECT = 'kyverno';
export const KYVERNO_NAMESPACE = 'kyverno';
/** Fixed here (the chart would derive it from the release name) so the Pod Identity association matches it. */
export const KYVERNO_ADMISSION_SERVICE_ACCOUNT = 'kyverno-admission-controller';
/** Groups the chart's CRD subcharts install (chart 3.9.0: `crds` and `kyverno-api`). */
export const KYVERNO_CRD_GROUPS = ['kyverno.io', 'policies.kyverno.io', 'reports.kyverno.io', 'wgpolicyk8s.io'] as const;

export interface KyvernoProps {
  /** Admission controller replicas; the webhook is on the pod-create path, so prod runs at least 2. @default 1 */
  readonly replicas?: number;
}

/** A container's requests and limits, as the chart takes them (memory limit = request: FlotillaContainerResources). */
interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly memory: string };
}

/**
 * The values this chart sets (chart `kyverno` 3.9.0, app v1.19.0), typed from its values.yaml: the
 * chart ships no values.schema.json (`VERSIONS.kyverno.valuesSchema`).
 */
export interface KyvernoValues {
  readonly admissionController: {
    readonly replicas: number;
    readonly rbac: { readonly serviceAccount: { readonly name: string } };
    readonly container: { readonly resources: ContainerResources };
  };
  readonly backgroundController: { readonly resources: ContainerResources };
  readonly cleanupController: { readonly resources: ContainerResources };
  readonly reportsController: { readonly resources: ContainerResources };
  readonly features: {
    /** Never turn a policy's `failurePolicy: Fail` into Ignore behind its back. */
    readonly forceFailurePolicyIgnore: { readonly enabled: false };
  };
}

/** Memory limit equal to the request, so the scheduler's view is what the kernel enforces. */
const resources = (cpu: string, memory: string): ContainerResources => ({ requests: { cpu, memory }, limits: { memory } });

/**
 * Read access to the account's ECR for the admission controller: Kyverno fetches Notation
 * signatures (OCI referrers) of the images it verifies with the `amazon` credential provider.
 */
export function kyvernoEcrReadStatements(cluster: ClusterConfig): PolicyStatement[] {
  return [
    { sid: 'EcrAuthorizationToken', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
    {
      sid: 'ReadImagesAndSignatures',
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:DescribeImages', 'ecr:ListImages'],
      resources: [`arn:${partitionOf(cluster.region)}:ecr:${cluster.region}:${cluster.account}:repository/*`],
    },
  ];
}

/**
 * Kyverno (chart 3.9.0 from https://kyverno.github.io/kyverno/), the admission controller that runs
 * the fleet's `ImageValidatingPolicy` (unit `signing`):
 *
 * - `kyverno.identity` (infra-controllers): the admission controller's Pod Identity role (ECR read);
 * - `kyverno` (infra-controllers): the HelmRelease, CRDs included (`policies.kyverno.io` and others).
 */
export function kyverno(props: KyvernoProps = {}): Unit[] {
  const replicas = props.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`kyverno replicas is ${replicas}; use a whole number of at least 1`);
  const identity = identityUnit({
    project: KYVERNO_PROJECT,
    mechanism: 'pod-identity',
    render(scope, { cluster }) {
      new PodIdentityRole(scope, 'AdmissionIdentity', {
        cluster,
        roleSuffix: 'kyverno-admission',
        serviceAccountNamespace: KYVERNO_NAMESPACE,
        serviceAccountName: KYVERNO_ADMISSION_SERVICE_ACCOUNT,
        statements: kyvernoEcrReadStatements(cluster),
      });
    },
  });
  const release: Unit = {
    name: KYVERNO_PROJECT,
    project: KYVERNO_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    dependsOn: [identityUnitName(KYVERNO_PROJECT)],
    render(scope) {
      // Registries (signatures) over HTTPS; the API server calls the admission webhook on 9443.
      new ControllerNetworkPolicies(scope, 'NetworkPolicies', { namespace: KYVERNO_NAMESPACE, awsApis: true, webhookPorts: [9443] });
      new HelmAddon<KyvernoValues>(scope, 'Kyverno', {
        name: 'kyverno',
        namespace: KYVERNO_NAMESPACE,
        chart: VERSIONS.kyverno,
        installsCrds: KYVERNO_CRD_GROUPS,
        values: {
          admissionController: {
            replicas,
            rbac: { serviceAccount: { name: KYVERNO_ADMISSION_SERVICE_ACCOUNT } },
            container: { resources: resources('100m', '384Mi') },
          },
          backgroundController: { resources: resources('100m', '128Mi') },
          cleanupController: { resources: resources('100m', '128Mi') },
          reportsController: { resources: resources('100m', '256Mi') },
          features: { forceFailurePolicyIgnore: { enabled: false } },
        },
      });
    },
  };
  return [identity, release];
}
