// The page's side of the stream: starts the worker, feeds decoded frames to the render loop,
// and keeps connection state in the UI store.
import type { VizController } from '../viz/controller';
import type { UiStore } from '../state/ui-store';
import type { FromWorker, ToWorker } from './worker-messages';

export function streamUrl(location: Location, tenant: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = tenant ? `?tenant=${encodeURIComponent(tenant)}` : '';
  return `${scheme}//${location.host}/ws${query}`;
}

export function startStream(store: UiStore, controller: VizController, url: string): () => void {
  const worker = new Worker(new URL('./stream-worker.ts', import.meta.url), { type: 'module' });
  const send = (message: ToWorker): void => worker.postMessage(message);

  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const message = event.data;
    switch (message.type) {
      case 'frame':
        controller.acceptFrame(
          {
            seq: message.seq,
            frameIndex: message.frameIndex,
            width: message.width,
            height: message.height,
            phases: message.phases,
            producedAtMs: message.producedAtMs,
          },
          message.decodeMs,
          message.wireBytes,
        );
        break;
      case 'hello':
        controller.setStream(message.stream);
        store.setState({ stream: message.stream });
        break;
      case 'status':
        controller.setConnected(message.state === 'open');
        store.setState({
          connection: {
            state: message.state,
            attempt: message.attempt,
            retryInMs: message.retryInMs,
            reason: message.reason,
          },
        });
        break;
      case 'fault':
        console.warn(message.message);
        store.setState({ lastFault: message.message });
        break;
    }
  };
  worker.onerror = (event) => {
    store.setState({ lastFault: `stream worker failed: ${event.message}` });
  };
  send({ type: 'connect', url });
  return () => {
    send({ type: 'disconnect' });
    worker.terminate();
  };
}
