// Scenario E: `flotilla validate` on one YAML file of 70,000 objects (issue 14, part 6). One file in
// one cluster folder is the worst case for grouping and reference indexes: everything lands in one
// cluster, so every cross-object check sees all 70,000 objects at once.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, type Measured } from './measure';

/** Objects per app: Deployment, Service, ConfigMap, ServiceAccount, HPA, PDB and a RoleBinding. */
const PER_APP = 7;

/** The seven documents of one app, valid against every check (schemas, references, selectors). */
function appDocuments(app: number, namespace: string): string {
  const name = `app-${String(app).padStart(5, '0')}`;
  const labels = `{app.kubernetes.io/name: ${name}, team: ${namespace}, cost-center: cc-1000}`;
  const meta = `{name: ${name}, namespace: ${namespace}, labels: ${labels}}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata: ${meta}
spec:
  replicas: 2
  selector: {matchLabels: {app.kubernetes.io/name: ${name}}}
  template:
    metadata: {labels: ${labels}}
    spec:
      serviceAccountName: ${name}
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, runAsUser: 10001}
      containers:
        - name: app
          image: 111111111111.dkr.ecr.eu-north-1.amazonaws.com/${namespace}/${name}:1.0.0
          ports: [{name: http, containerPort: 8080}]
          envFrom: [{configMapRef: {name: ${name}-config}}]
          readinessProbe: {httpGet: {path: /ready, port: http}}
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 128Mi}}
---
apiVersion: v1
kind: Service
metadata: ${meta}
spec:
  selector: {app.kubernetes.io/name: ${name}}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}-config, namespace: ${namespace}, labels: ${labels}}
data: {LOG_LEVEL: info, HTTP_PORT: "8080"}
---
apiVersion: v1
kind: ServiceAccount
metadata: ${meta}
automountServiceAccountToken: false
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: ${meta}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}
  minReplicas: 2
  maxReplicas: 6
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: ${meta}
spec:
  minAvailable: 1
  selector: {matchLabels: {app.kubernetes.io/name: ${name}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: ${meta}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: ${name}, namespace: ${namespace}}]
`;
}

/** YAML of exactly `objects` objects: one Namespace per 100 apps, whole apps, then ConfigMaps to fill up. */
export function largeFileYaml(objects: number): { yaml: string; objects: number } {
  const parts: string[] = [];
  let count = 0;
  let namespace = '';
  for (let app = 0; ; app++) {
    const starts = app % 100 === 0;
    if (count + PER_APP + (starts ? 1 : 0) > objects) break;
    if (starts) {
      namespace = `team-${String(app / 100).padStart(3, '0')}`;
      parts.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${namespace}, labels: {team: ${namespace}}}\n`);
      count++;
    }
    parts.push(appDocuments(app, namespace));
    count += PER_APP;
  }
  for (; count < objects; count++) parts.push(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: filler-${count}, namespace: ${namespace || 'default'}}\ndata: {}\n`);
  return { yaml: parts.join('---\n'), objects: count };
}

/** Writes the file as `<tmp>/clusters/large/apps/all.yaml` (a cluster folder, so references run). */
export function writeLargeFile(objects: number, dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-large-'))): { dir: string; file: string; objects: number } {
  const { yaml, objects: count } = largeFileYaml(objects);
  const folder = join(dir, 'clusters/large/apps');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'all.yaml');
  writeFileSync(file, yaml);
  return { dir, file, objects: count };
}

/** Objects in the file of scenario E (issue 14: 70,000 objects validated at ≥ 20,000 objects/s). */
export const LARGE_FILE_OBJECTS = 70_000;

export interface LargeFileResult {
  readonly objects: number;
  readonly bytes: number;
  readonly measured: Measured;
  /** Objects / median wall seconds, whole process. */
  readonly objectsPerSecond: number;
  /** Objects / median CPU seconds: what the wall figure becomes on an otherwise idle machine. */
  readonly objectsPerCpuSecond?: number;
  /** 1-minute load average before and after E (E may be measured alone, long after the other figures). */
  readonly load?: readonly [number, number];
}

/** E: `node apps/fleet/bin/flotilla.js validate <file>` in `root` (bundle cache warm), whole process. */
export function measureLargeFile(root: string, runs: number, warmups: number, path: string, objects = LARGE_FILE_OBJECTS): LargeFileResult {
  const written = writeLargeFile(objects);
  const loadBefore = loadavg()[0]!;
  try {
    const measured = measure(
      { label: `E: flotilla validate, ${objects} objects in one file`, cwd: root, command: 'node', args: ['apps/fleet/bin/flotilla.js', 'validate', written.file] },
      runs,
      warmups,
      path,
    );
    return {
      objects: written.objects,
      bytes: statSync(written.file).size,
      measured,
      objectsPerSecond: written.objects / measured.seconds.median,
      objectsPerCpuSecond: written.objects / measured.cpuSeconds.median,
      load: [loadBefore, loadavg()[0]!],
    };
  } finally {
    rmSync(written.dir, { recursive: true, force: true });
  }
}
