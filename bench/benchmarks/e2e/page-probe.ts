// What bench:e2e watches inside the page, installed before any of the app's scripts run: every
// frame the stream worker hands the page (its produced-to-decoded latency, clock-offset corrected
// by the worker's ping/pong, and its decode time), and when each frame's phases reach the GPU.
// The heatmap uploads a frame's own buffer (regl-heatmap.ts), so a texture upload is matched to its
// frame by that buffer; the frame counts as drawn at the page's next animation frame, when the
// browser has composited the one it was drawn in. Produced-to-drawn is the worker's latency plus
// the time from its decode to that moment: both clocks are the page's, so no server clock enters.

export interface ProbeFrame {
  frameIndex: number;
  /** Produced on the server to decoded in the worker, offset-corrected; null before a pong. */
  latencyMs: number | null;
  decodeMs: number;
  decodedAtMs: number;
  wireBytes: number;
  rawBytes: number;
}

export interface ProbeDraw extends ProbeFrame {
  uploadedAtMs: number;
  drawnAtMs: number;
}

export interface PageProbe {
  recording: boolean;
  received: ProbeFrame[];
  drawn: ProbeDraw[];
}

/** The fields of the app's window.phaseViz this benchmark reads (README, "App URL parameters"). */
export interface PhaseVizFields {
  fps: number;
  framesRendered: number;
  [field: string]: unknown;
}

declare global {
  interface Window {
    e2eProbe?: PageProbe;
    phaseViz?: PhaseVizFields;
  }
}

/** Runs in the page (page.addInitScript): self-contained, no imports. */
export function installPageProbe(): void {
  const probe: PageProbe = { recording: false, received: [], drawn: [] };
  const nowMs = (): number => performance.timeOrigin + performance.now();
  const byBuffer = new WeakMap<ArrayBufferLike, ProbeFrame>();
  const uploaded: (ProbeFrame & { uploadedAtMs: number })[] = [];

  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as {
          type?: string;
          frameIndex: number;
          latencyMs: number | null;
          decodeMs: number;
          decodedAtMs: number;
          wireBytes: number;
          phases: Uint16Array;
        };
        if (data?.type !== 'frame') return;
        const frame: ProbeFrame = {
          frameIndex: data.frameIndex,
          latencyMs: data.latencyMs,
          decodeMs: data.decodeMs,
          decodedAtMs: data.decodedAtMs,
          wireBytes: data.wireBytes,
          rawBytes: data.phases.byteLength,
        };
        byBuffer.set(data.phases.buffer, frame);
        if (probe.recording) probe.received.push(frame);
      });
    }
  };

  const watchUploads = (proto: WebGLRenderingContext | WebGL2RenderingContext): void => {
    for (const name of ['texImage2D', 'texSubImage2D'] as const) {
      const original = proto[name] as (...args: unknown[]) => void;
      Object.defineProperty(proto, name, {
        configurable: true,
        writable: true,
        value: function (this: unknown, ...args: unknown[]) {
          const pixels = args[args.length - 1] as { buffer?: ArrayBufferLike } | null;
          const frame = pixels?.buffer ? byBuffer.get(pixels.buffer) : undefined;
          if (frame) {
            // Counted once: a redraw of the same frame uploads the same buffer again.
            byBuffer.delete(pixels!.buffer!);
            uploaded.push({ ...frame, uploadedAtMs: nowMs() });
          }
          return original.apply(this, args);
        },
      });
    }
  };
  watchUploads(WebGLRenderingContext.prototype);
  watchUploads(WebGL2RenderingContext.prototype);

  // Registered before the app's loop, so each animation frame this runs first and sees what the
  // app drew in the one before.
  const onAnimationFrame = (): void => {
    const atMs = nowMs();
    for (const frame of uploaded.splice(0)) {
      if (probe.recording) probe.drawn.push({ ...frame, drawnAtMs: atMs });
    }
    requestAnimationFrame(onAnimationFrame);
  };
  requestAnimationFrame(onAnimationFrame);
  window.e2eProbe = probe;
}
