// The page's side of the stream: starts the worker, feeds decoded frames to the frame pipeline,
// and keeps connection state in the UI store.
import type { StreamInfo } from '../../core/wire/envelope';
import type { PlaybackControl } from '../../core/wire/playback';
import { DEFAULT_DISPLAY } from '../state/display';
import type { UiStore } from '../state/ui-store';
import type { FramePipeline } from './pipeline';
import type { FromWorker, ToWorker } from './worker-messages';

export interface StreamConnection {
  control(control: PlaybackControl): void;
  /** Reconnects to another URL (tenant) or with another token. */
  connect(url: string, token: string | null): void;
  close(): void;
}

/**
 * Drops every pixel and figure of the stream now (sign-out, a refusal): a fresh blank canvas, no
 * frames, no stream info until the next hello.
 */
export function clearPicture(store: UiStore, pipeline: FramePipeline): void {
  pipeline.reset();
  store.setState((s) => ({
    stream: null,
    playback: null,
    pinnedSpin: null,
    pictureGeneration: s.pictureGeneration + 1,
  }));
}

export function streamUrl(location: Location, tenant: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = tenant ? `?tenant=${encodeURIComponent(tenant)}` : '';
  return `${scheme}//${location.host}/ws${query}`;
}

export function startStream(
  store: UiStore,
  pipeline: FramePipeline,
  url: string,
  token: string | null,
  onHello?: (stream: StreamInfo) => void,
): StreamConnection {
  const worker = new Worker(new URL('./stream-worker.ts', import.meta.url), { type: 'module' });
  const send = (message: ToWorker, transfer: Transferable[] = []): void =>
    worker.postMessage(message, transfer);
  // Frames nothing on the page reads any more go back to the worker, which decodes later frames
  // into their buffers rather than into new ones (a new buffer costs the worker its page faults).
  pipeline.recycleInto(({ buffer }) => {
    if (buffer instanceof ArrayBuffer) send({ type: 'recycle', buffer }, [buffer]);
  });

  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const message = event.data;
    switch (message.type) {
      case 'frame': {
        const playback = store.getState().playback;
        pipeline.accept(message, playback === null || playback.live);
        break;
      }
      case 'hello': {
        // Another tenant or another size: the old view, pin and frames mean nothing here.
        const previous = store.getState().stream;
        const otherTenant = previous !== null && previous.tenant !== message.stream.tenant;
        const otherLattice =
          otherTenant ||
          (previous !== null &&
            (previous.width !== message.stream.width || previous.height !== message.stream.height));
        // Another tenant's stream counts its own frames from zero.
        if (otherTenant) pipeline.reset();
        else pipeline.streamStarted(otherLattice);
        if (otherLattice) {
          store.setState({
            display: { ...DEFAULT_DISPLAY, relative: store.getState().display.relative },
            pinnedSpin: null,
          });
        }
        onHello?.(message.stream);
        store.setState({ stream: message.stream, playback: null });
        break;
      }
      case 'playback':
        store.setState({ playback: message.playback });
        if (message.playback.notice) store.setState({ lastFault: message.playback.notice });
        break;
      case 'status': {
        pipeline.stats.setConnected(message.state === 'open');
        const previous = store.getState().connection;
        const changed = previous.state !== message.state || previous.refusal !== message.refusal;
        store.setState({
          connection: {
            state: message.state,
            attempt: message.attempt,
            retryInMs: message.retryInMs,
            reason: message.reason,
            refusal: message.refusal,
            sinceMs: changed ? Date.now() : previous.sinceMs,
          },
        });
        // Refused: the picture of a tenant this operator may no longer see goes at once.
        if (message.refusal) clearPicture(store, pipeline);
        break;
      }
      case 'fault':
        console.warn(message.message);
        store.setState({ lastFault: message.message });
        break;
    }
  };
  worker.onerror = (event) => {
    store.setState({ lastFault: `stream worker failed: ${event.message}` });
  };
  send({ type: 'connect', url, token });
  return {
    control: (control) => send({ type: 'control', control }),
    connect: (nextUrl, nextToken) => send({ type: 'connect', url: nextUrl, token: nextToken }),
    close: () => {
      pipeline.recycleInto(null);
      send({ type: 'disconnect' });
      worker.terminate();
    },
  };
}
