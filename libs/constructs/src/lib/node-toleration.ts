/** A pod toleration as Helm charts take it in their values (`tolerations:`). */
export interface NodeToleration {
  /** @default - every key (operator must be Exists) */
  readonly key?: string;
  readonly operator: 'Exists' | 'Equal';
  /** Only with operator Equal. @default - none */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Tolerates the `nvidia.com/gpu:NoSchedule` taint of GPU node pools (the NVIDIA device plugin chart's own convention). */
export const GPU_TAINT_TOLERATION: NodeToleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

/** Validates tolerations given as a prop; `prop` names it in the message. */
export function checkTolerations(prop: string, tolerations: readonly NodeToleration[]): void {
  tolerations.forEach((toleration, index) => {
    if (toleration.operator === 'Exists' && toleration.value !== undefined) {
      throw new Error(`${prop}[${index}] has operator Exists and value '${toleration.value}'; drop the value or use operator Equal`);
    }
    if (toleration.operator === 'Equal' && !toleration.key) {
      throw new Error(`${prop}[${index}] has operator Equal without a key; set key, or use operator Exists to tolerate every taint`);
    }
  });
}
