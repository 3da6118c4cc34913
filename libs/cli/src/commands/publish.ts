import { publish, PublishError } from '@flotilla/publish';
import { parseArgs } from '../lib/args';
import { requireHost, UsageError, type Command } from '../lib/command';

export const publishCommand: Command = {
  name: 'publish',
  summary: 'push each OCI-delivered cluster as a signed Flux artifact (flux push artifact format, cosign signature)',
  help: `Usage: flotilla publish [--cluster <name>]... [--registry <[https://]host[:port]/prefix>]

Pushes the committed clusters/<cluster>/ folder of every cluster with delivery { type: 'oci' } as
the artifact 'flux push artifact' produces, tagged with the commit and the cluster's moving tag,
and signs it in cosign's format with the key delivery.signingKey names. The signature is pushed
before the moving tag, so Flux (OCIRepository spec.verify) never sees an unsigned digest. A tree the
registry already holds, signed with this key, is not pushed again.

Options:
  --cluster <name>     only this cluster (repeatable); it must use OCI delivery
  --registry <value>   push here instead of each cluster's delivery.registry (mirrors, tests);
                       plain HTTP only for localhost / 127.0.0.1
  --help               this text

Authentication: Amazon ECR registries (*.dkr.ecr.<region>.amazonaws.com) through the AWS SDK's
default credentials (ecr:GetAuthorizationToken); other registries with FLOTILLA_REGISTRY_USERNAME
and FLOTILLA_REGISTRY_PASSWORD, or anonymously.

Examples:
  FLOTILLA_PROD_COSIGN_KEY="$(cat cosign.key)" npx flotilla publish --cluster prod
  npx flotilla publish --registry 127.0.0.1:5000/flotilla`,
  async run(args, io) {
    const parsed = parseArgs(args, { command: 'publish', valueFlags: ['cluster', 'registry'] });
    if (parsed.positionals.length > 0) throw new UsageError(`'flotilla publish' takes no arguments, got '${parsed.positionals.join(' ')}'`);
    const registries = parsed.flags.get('registry') ?? [];
    if (registries.length > 1) throw new UsageError('--registry is given more than once; pass one registry');
    const fleet = await requireHost(io, 'publish').loadFleet();
    const { FLOTILLA_REGISTRY_USERNAME: username, FLOTILLA_REGISTRY_PASSWORD: password } = process.env;
    const started = performance.now();
    try {
      const results = await publish({
        repoRoot: io.cwd,
        fleet,
        clusters: parsed.flags.get('cluster'),
        registry: registries[0],
        credentials: username && password ? { username, password } : undefined,
      });
      if (results.length === 0) io.out('no cluster uses OCI delivery; nothing to publish\n');
      for (const r of results) {
        io.out(
          r.unchanged
            ? `${r.cluster}: unchanged, ${r.repository}:${r.tags[0]} is ${r.digest} (${r.revision}); nothing pushed\n`
            : `${r.cluster}: pushed ${r.repository}@${r.digest} as ${r.tags.join(', ')}, signed (${r.counts.blobUploads} blobs, ${r.counts.manifestPuts} manifests)\n`,
        );
      }
      io.out(`published ${results.length} cluster(s) in ${Math.round(performance.now() - started)} ms\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof PublishError)) throw error;
      io.err(`flotilla publish: ${error.message}\n`);
      return 1;
    }
  },
};
