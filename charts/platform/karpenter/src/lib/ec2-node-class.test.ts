import { Size, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AmiFamily, Ec2NodeClass, EbsVolumeType, InstanceStorePolicy } from './ec2-node-class';

const discoveryTag = { key: 'karpenter.sh/discovery', value: 'dev' };

function render(props: Partial<ConstructorParameters<typeof Ec2NodeClass>[2]> = {}) {
  const chart = Testing.chart();
  const nodeClass = new Ec2NodeClass(chart, 'class', { name: 'default', discoveryTag, role: 'dev-karpenter-node', ...props });
  return { nodeClass, manifest: Testing.synth(chart)[0] };
}

describe('Ec2NodeClass', () => {
  it('selects subnets and security groups by the discovery tag and requires IMDSv2 with hop limit 1', () => {
    // GIVEN / WHEN
    const { manifest } = render();
    // THEN
    expect(manifest.apiVersion).toBe('karpenter.k8s.aws/v1');
    expect(manifest.kind).toBe('EC2NodeClass');
    expect(manifest.metadata).toEqual({ name: 'default' });
    expect(manifest.spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'dev' } }]);
    expect(manifest.spec.securityGroupSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'dev' } }]);
    expect(manifest.spec.role).toBe('dev-karpenter-node');
    expect(manifest.spec.metadataOptions).toEqual({ httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' });
  });

  it('defaults to the AL2023 latest alias with an encrypted 50Gi gp3 root volume on /dev/xvda', () => {
    const { manifest } = render();
    expect(manifest.spec.amiSelectorTerms).toEqual([{ alias: 'al2023@latest' }]);
    expect(manifest.spec.amiFamily).toBeUndefined();
    expect(manifest.spec.blockDeviceMappings).toEqual([
      { deviceName: '/dev/xvda', rootVolume: true, ebs: { volumeSize: '50Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } },
    ]);
    expect(manifest.spec.instanceStorePolicy).toBeUndefined();
  });

  it('uses a pinned Bottlerocket alias with a 4Gi OS volume and the data volume as kubelet root', () => {
    const { manifest, nodeClass } = render({ amiFamily: AmiFamily.BOTTLEROCKET, amiVersion: 'v1.37.0', volume: { size: Size.gibibytes(80), iops: 4000, throughputMiBps: 250 } });
    expect(nodeClass.amiFamily).toBe(AmiFamily.BOTTLEROCKET);
    expect(manifest.spec.amiSelectorTerms).toEqual([{ alias: 'bottlerocket@v1.37.0' }]);
    expect(manifest.spec.blockDeviceMappings).toEqual([
      { deviceName: '/dev/xvda', ebs: { volumeSize: '4Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } },
      { deviceName: '/dev/xvdb', rootVolume: true, ebs: { volumeSize: '80Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true, iops: 4000, throughput: 250 } },
    ]);
  });

  it('stripes instance-store disks with RAID0 when asked and tags the node resources', () => {
    const { manifest } = render({ instanceStorePolicy: InstanceStorePolicy.RAID0, tags: { CostCenter: 'platform' } });
    expect(manifest.spec.instanceStorePolicy).toBe('RAID0');
    expect(manifest.spec.tags).toEqual({ CostCenter: 'platform' });
  });

  it('exposes the nodeClassRef NodePools use', () => {
    expect(render().nodeClass.ref).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' });
  });

  it('fails if a tag is reserved for Karpenter', () => {
    expect(() => render({ tags: { 'kubernetes.io/cluster/dev': 'owned' } })).toThrow(/tag "kubernetes.io\/cluster\/dev" is reserved for Karpenter/);
    expect(() => render({ tags: { 'karpenter.sh/nodepool': 'x' } })).toThrow(/reserved/);
  });

  it('fails if the AMI version is not latest or a release', () => {
    expect(() => render({ amiVersion: '2025-05-05' })).toThrow(/amiVersion "2025-05-05" is not 'latest' or a release/);
  });

  it('fails if the metadata hop limit is out of range', () => {
    expect(() => render({ metadataHopLimit: 0 })).toThrow(/metadataHopLimit 0 is out of range/);
  });

  it('fails if throughput is set on a non-gp3 volume', () => {
    expect(() => render({ volume: { type: EbsVolumeType.IO2, throughputMiBps: 200 } })).toThrow(/throughputMiBps applies to gp3 only/);
  });

  it('fails if the discovery tag is incomplete', () => {
    expect(() => render({ discoveryTag: { key: 'karpenter.sh/discovery', value: '' } })).toThrow(/discoveryTag needs a key and a value/);
  });
});
