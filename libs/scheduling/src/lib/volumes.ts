import type { RenderedObject } from '@flotilla/model';
import type { PodTemplate } from './pod-templates';

/** In-tree provisioners that CSI migration hands to a CSI driver. */
const MIGRATED_PROVISIONERS: Readonly<Record<string, string>> = {
  'kubernetes.io/aws-ebs': 'ebs.csi.aws.com',
};

/** Where the cluster's claims, volumes and classes lead: claim → volume → CSI driver, or claim → class → provisioner. */
export interface VolumeIndex {
  readonly claims: ReadonlyMap<string, { readonly volumeName?: string; readonly storageClassName?: string }>;
  /** PersistentVolume name → CSI driver. */
  readonly volumes: ReadonlyMap<string, string | undefined>;
  /** `namespace/claim` → CSI driver of the PersistentVolume whose claimRef binds it. */
  readonly boundVolumes: ReadonlyMap<string, string | undefined>;
  readonly storageClasses: ReadonlyMap<string, string>;
  readonly defaultStorageClass?: string;
}

export function indexVolumes(objects: readonly RenderedObject[]): VolumeIndex {
  const claims = new Map<string, { volumeName?: string; storageClassName?: string }>();
  const volumes = new Map<string, string | undefined>();
  const boundVolumes = new Map<string, string | undefined>();
  const storageClasses = new Map<string, string>();
  let defaultStorageClass: string | undefined;
  for (const { object } of objects) {
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    if (object.kind === 'PersistentVolumeClaim' && object.apiVersion === 'v1') {
      claims.set(`${object.metadata.namespace ?? 'default'}/${object.metadata.name}`, {
        volumeName: spec.volumeName as string | undefined,
        storageClassName: spec.storageClassName as string | undefined,
      });
    } else if (object.kind === 'PersistentVolume' && object.apiVersion === 'v1') {
      const driver = (spec.csi as { driver?: string } | undefined)?.driver ?? (spec.awsElasticBlockStore ? 'ebs.csi.aws.com' : undefined);
      volumes.set(object.metadata.name, driver);
      const claimRef = spec.claimRef as { namespace?: string; name?: string } | undefined;
      if (claimRef?.name) boundVolumes.set(`${claimRef.namespace ?? 'default'}/${claimRef.name}`, driver);
    } else if (object.kind === 'StorageClass' && object.apiVersion.startsWith('storage.k8s.io/')) {
      const provisioner = String((object as { provisioner?: string }).provisioner ?? '');
      storageClasses.set(object.metadata.name, MIGRATED_PROVISIONERS[provisioner] ?? provisioner);
      if (object.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true') defaultStorageClass = object.metadata.name;
    }
  }
  return { claims, volumes, boundVolumes, storageClasses, defaultStorageClass };
}

/** A volume of the pod and the CSI driver whose node plugin must run where the pod runs. */
export interface VolumeDriver {
  readonly volume: string;
  readonly driver: string;
  /** How the driver was found, e.g. `PVC comfyui-outputs → PV imagegen-comfyui-outputs`. */
  readonly via: string;
}

/**
 * The CSI drivers a pod's volumes need on its node: inline `csi` volumes, claims bound to a CSI
 * PersistentVolume, and claims (or generic ephemeral volumes) provisioned by a CSI StorageClass.
 * Claims the cluster does not declare are left to the reference check.
 */
export function volumeDrivers(template: PodTemplate, index: VolumeIndex): VolumeDriver[] {
  const out: VolumeDriver[] = [];
  const byClass = (volume: string, className: string | undefined, via: string) => {
    const name = className ?? index.defaultStorageClass;
    const driver = name ? index.storageClasses.get(name) : undefined;
    if (driver) out.push({ volume, driver, via: `${via} → StorageClass ${name}` });
  };
  for (const volume of template.spec.volumes ?? []) {
    if (volume.csi?.driver) out.push({ volume: volume.name, driver: volume.csi.driver, via: 'inline csi volume' });
    const claimName = volume.persistentVolumeClaim?.claimName;
    if (claimName) {
      const key = `${template.namespace}/${claimName}`;
      const claim = index.claims.get(key);
      if (claim?.volumeName && index.volumes.has(claim.volumeName)) {
        const driver = index.volumes.get(claim.volumeName);
        if (driver) out.push({ volume: volume.name, driver, via: `PVC ${claimName} → PV ${claim.volumeName}` });
      } else if (index.boundVolumes.has(key)) {
        const driver = index.boundVolumes.get(key);
        if (driver) out.push({ volume: volume.name, driver, via: `PVC ${claimName} → bound PV` });
      } else if (claim && claim.storageClassName !== '') {
        byClass(volume.name, claim.storageClassName, `PVC ${claimName}`);
      }
    }
    if (volume.ephemeral?.volumeClaimTemplate) byClass(volume.name, volume.ephemeral.volumeClaimTemplate.spec?.storageClassName, 'ephemeral volume');
  }
  return out;
}
