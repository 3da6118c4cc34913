/**
 * Enums of built-in fields. The Kubernetes OpenAPI definitions only list these in descriptions
 * ("One of Always, Never, IfNotPresent"), which are dropped, so the common ones are listed here:
 * `definition#property` (`#property[]` for list items) → allowed values.
 */
export const BUILTIN_ENUMS: Readonly<Record<string, readonly string[]>> = {
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy#type': ['OnDelete', 'RollingUpdate'],
  'io.k8s.api.apps.v1.DeploymentStrategy#type': ['Recreate', 'RollingUpdate'],
  'io.k8s.api.apps.v1.StatefulSetSpec#podManagementPolicy': ['OrderedReady', 'Parallel'],
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy#type': ['OnDelete', 'RollingUpdate'],
  'io.k8s.api.batch.v1.CronJobSpec#concurrencyPolicy': ['Allow', 'Forbid', 'Replace'],
  'io.k8s.api.core.v1.Container#imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'io.k8s.api.core.v1.Container#terminationMessagePolicy': ['FallbackToLogsOnError', 'File'],
  'io.k8s.api.core.v1.ContainerPort#protocol': ['SCTP', 'TCP', 'UDP'],
  'io.k8s.api.core.v1.EphemeralContainer#imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'io.k8s.api.core.v1.NodeSelectorRequirement#operator': ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'],
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec#volumeMode': ['Block', 'Filesystem'],
  'io.k8s.api.core.v1.PodSpec#dnsPolicy': ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  'io.k8s.api.core.v1.PodSpec#restartPolicy': ['Always', 'Never', 'OnFailure'],
  'io.k8s.api.core.v1.SeccompProfile#type': ['Localhost', 'RuntimeDefault', 'Unconfined'],
  'io.k8s.api.core.v1.ServicePort#protocol': ['SCTP', 'TCP', 'UDP'],
  'io.k8s.api.core.v1.ServiceSpec#externalTrafficPolicy': ['Cluster', 'Local'],
  'io.k8s.api.core.v1.ServiceSpec#internalTrafficPolicy': ['Cluster', 'Local'],
  'io.k8s.api.core.v1.ServiceSpec#sessionAffinity': ['ClientIP', 'None'],
  'io.k8s.api.core.v1.ServiceSpec#type': ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
  'io.k8s.api.core.v1.Toleration#effect': ['', 'NoExecute', 'NoSchedule', 'PreferNoSchedule'],
  'io.k8s.api.core.v1.Toleration#operator': ['Equal', 'Exists'],
  'io.k8s.api.core.v1.TopologySpreadConstraint#whenUnsatisfiable': ['DoNotSchedule', 'ScheduleAnyway'],
  'io.k8s.api.networking.v1.HTTPIngressPath#pathType': ['Exact', 'ImplementationSpecific', 'Prefix'],
  'io.k8s.api.networking.v1.NetworkPolicySpec#policyTypes[]': ['Egress', 'Ingress'],
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement#operator': ['DoesNotExist', 'Exists', 'In', 'NotIn'],
};
