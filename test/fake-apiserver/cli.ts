// Runs the fake API server on its own, for trying kforge apply by hand:
//   npx tsx test/fake-apiserver/cli.ts KUBECONFIG_FILE [CONTEXT...]   (default contexts: kind-dev kind-test prod)
// It writes a kubeconfig whose contexts point at it, prints the URL, and on SIGINT/SIGTERM prints the request log.
import { startFakeApiServer } from './server.js';
import { writeKubeconfig } from './kubeconfig.js';

const [file, ...contexts] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: cli.ts KUBECONFIG_FILE [CONTEXT...]\n');
  process.exit(2);
}
const server = await startFakeApiServer();
writeKubeconfig(file, server.url, contexts.length ? contexts : ['kind-dev', 'kind-test', 'prod']);
process.stdout.write(`${server.url}\n`);
const stop = async () => {
  for (const e of server.log) {
    process.stderr.write(e.type === 'request'
      ? `${e.seq} ${e.method} ${e.path}${Object.keys(e.query).length ? `?${new URLSearchParams(e.query)}` : ''} -> ${e.status}\n`
      : `${e.seq} controller: ${e.kind} ${e.namespace}/${e.name} ${e.state}\n`);
  }
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
