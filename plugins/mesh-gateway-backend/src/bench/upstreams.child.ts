/*
 * The benchmark's upstreams in a process of their own, as Kong and the Kubernetes API run on
 * other machines: their work does not share the backend's event loop. The parent (`yarn bench`)
 * drives them over IPC: latency to inject, request counts, close.
 */
import {
  buildAdrCluster,
  buildAdrKongDataset,
  FaultInjector,
  scaleIstioObjects,
  scaleKongDataset,
  startKongAdminServer,
  startKubernetesApiServer,
} from '@internal/mesh-sandbox';

export type UpstreamsCommand =
  | { id: number; type: 'latency'; kongMs: number; kubernetesMs: number }
  | { id: number; type: 'requests' }
  | { id: number; type: 'close' };

export type UpstreamsMessage =
  | { type: 'ready'; kongUrl: string; kubernetesUrl: string }
  | { type: 'done'; id: number; requests?: number };

async function main() {
  const send = (message: UpstreamsMessage) => process.send?.(message);
  const kongFaults = new FaultInjector();
  const kubernetesFaults = new FaultInjector();
  const dataset = scaleKongDataset(buildAdrKongDataset(), { routes: 10_000, plugins: 50_000 });
  const kong = await startKongAdminServer({ port: 0, dataset, faults: kongFaults });
  const kubernetes = await startKubernetesApiServer({
    objects: buildAdrCluster(scaleIstioObjects(2_000)),
    faults: kubernetesFaults,
  });
  process.on('message', async (command: UpstreamsCommand) => {
    switch (command.type) {
      case 'latency':
        kongFaults.set(command.kongMs > 0 ? [{ fault: { type: 'latency', ms: command.kongMs } }] : []);
        kubernetesFaults.set(command.kubernetesMs > 0 ? [{ fault: { type: 'latency', ms: command.kubernetesMs } }] : []);
        send({ type: 'done', id: command.id });
        break;
      case 'requests':
        send({ type: 'done', id: command.id, requests: kong.requests.length + kubernetes.requests.length });
        break;
      case 'close':
        await Promise.all([kong.close(), kubernetes.close()]);
        send({ type: 'done', id: command.id });
        process.disconnect?.();
        break;
      default:
        break;
    }
  });
  // The parent went away without saying close (a failed or interrupted run): do not linger.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', kongUrl: kong.url, kubernetesUrl: kubernetes.url });
}

main().catch(error => {
  process.stderr.write(`bench upstreams: ${error?.stack ?? error}\n`);
  process.exit(1);
});
