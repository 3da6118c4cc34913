import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { Unit } from '@flotilla/config';

export interface TeamAWebProps {
  /** @default 2 */
  readonly replicas?: number;
}

/** team-a's nginx web service. */
export function teamAWeb(props: TeamAWebProps = {}): Unit {
  return {
    name: 'team-a-web',
    project: 'team-a-web',
    layer: 'apps',
    dependsOn: ['teams'],
    render(scope: Construct) {
      const deployment = new kplus.Deployment(scope, 'Deployment', {
        metadata: { name: 'web', namespace: 'team-a', labels: { team: 'team-a', 'cost-center': 'cc-1001' } },
        replicas: props.replicas ?? 2,
        containers: [
          {
            name: 'nginx',
            image: 'public.ecr.aws/nginx/nginx:1.29.3',
            portNumber: 8080,
            securityContext: { user: 101, group: 101 },
          },
        ],
      });
      deployment.exposeViaService({ name: 'web', ports: [{ port: 80, targetPort: 8080 }] });
    },
  };
}
