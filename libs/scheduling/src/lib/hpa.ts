import { findingFor, type Finding, type RenderedObject } from '@flotilla/model';
import { podRequests, type ContainerDefaults, type PodTemplate } from './pod-templates';

/** Extended resources that mark a workload as accelerator-bound. */
export const ACCELERATOR_RESOURCES: readonly string[] = ['nvidia.com/gpu', 'amd.com/gpu', 'aws.amazon.com/neuron', 'aws.amazon.com/neuroncore', 'habana.ai/gaudi'];

interface Metric {
  readonly type?: string;
  readonly resource?: { readonly name?: string };
  readonly containerResource?: { readonly name?: string };
}

/**
 * HPAs that scale an accelerator-bound workload on CPU or memory (or on nothing, which means CPU
 * at 80%): its CPU tracks neither the queue nor the accelerator, so it scales at the wrong time.
 */
export function checkHpaMetrics(objects: readonly RenderedObject[], templates: readonly PodTemplate[], defaults: ReadonlyMap<string, ContainerDefaults>): Finding[] {
  const findings: Finding[] = [];
  for (const entry of objects) {
    const { object } = entry;
    if (object.kind !== 'HorizontalPodAutoscaler' || !object.apiVersion.startsWith('autoscaling/')) continue;
    const spec = (object.spec ?? {}) as { scaleTargetRef?: { kind?: string; name?: string }; metrics?: Metric[]; targetCPUUtilizationPercentage?: number };
    const namespace = object.metadata.namespace ?? 'default';
    const target = templates.find(
      (template) => template.namespace === namespace && template.object.kind === spec.scaleTargetRef?.kind && template.object.metadata.name === spec.scaleTargetRef?.name,
    );
    if (!target) continue;
    const requests = podRequests(target.spec, defaults.get(namespace));
    const accelerators = ACCELERATOR_RESOURCES.filter((name) => (requests[name] ?? 0) > 0);
    if (accelerators.length === 0) continue;
    const metrics = spec.metrics ?? [];
    const resourceMetrics = metrics
      .map((metric, index) => ({ index, name: metric.type === 'Resource' ? metric.resource?.name : metric.type === 'ContainerResource' ? metric.containerResource?.name : undefined }))
      .filter((metric) => metric.name === 'cpu' || metric.name === 'memory');
    const problems = metrics.length === 0 ? [{ path: 'spec.metrics', text: 'no metrics (the default is CPU at 80%)' }] : resourceMetrics.map((metric) => ({ path: `spec.metrics[${metric.index}]`, text: `${metric.name} utilisation` }));
    for (const problem of problems) {
      findings.push(
        findingFor(
          { file: entry.file, object, cluster: entry.cluster },
          {
            severity: 'warning',
            code: 'scheduling/hpa-metric',
            path: problem.path,
            message: `scales ${target.object.kind} ${target.object.metadata.name}, which requests ${accelerators.join(', ')}, on ${problem.text}; an accelerator-bound workload's ${problem.text.startsWith('memory') ? 'memory' : 'CPU'} does not track its load`,
            fix: 'scale on a metric that tracks the work (queue depth or accelerator utilisation as a Pods/External metric), or remove the HPA and set a fixed replica count',
          },
        ),
      );
    }
  }
  return findings;
}
