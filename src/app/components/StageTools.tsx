// The stage bar's tools: the heatmap as a PNG at lattice resolution (one pixel a spin, the
// colormap and relative mode on screen), a link to exactly this view, and, embedded, the button
// that opens the panels' drawer.
import { useEffect, useState } from 'react';
import { colormapLut } from '../../core/colormap';
import { colorize, packLut } from '../../render/canvas-heatmap';
import type { FramePipeline } from '../frames/pipeline';
import { useActions, useAppContext, useUi } from '../shell/hooks';
import { viewWindow } from '../state/display';
import { currentTenant, type UiState } from '../state/ui-store';
import { exactViewUrl } from '../url/view-link';
import { downloadBlob, exportFileName } from './panels/csv';

/** The frame on screen, coloured as on screen, whole, one pixel a spin. */
async function heatmapPng(frames: FramePipeline, state: UiState): Promise<Blob | null> {
  const frame = frames.cursor ?? frames.frames.shown ?? frames.frames.latest;
  if (!frame) return null;
  const canvas = document.createElement('canvas');
  canvas.width = frame.width;
  canvas.height = frame.height;
  const context = canvas.getContext('2d');
  if (!context) return null;
  const image = context.createImageData(frame.width, frame.height);
  const offsetQ = viewWindow(frame.width, frame.height, state.display, frame.psiRad).phaseOffsetQ;
  colorize(
    frame.phases,
    packLut(colormapLut(state.params.colormap)),
    new Uint32Array(image.data.buffer),
    offsetQ,
  );
  context.putImageData(image, 0, 0);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

export function StageTools() {
  const { ui, frames } = useAppContext();
  const actions = useActions();
  const embed = useUi((s) => s.params.embed);
  const drawerOpen = useUi((s) => s.drawerOpen);
  const hasFrame = useUi((s) => s.stream !== null && s.hud.frameOnScreen >= 0);
  const [told, setTold] = useState<string | null>(null);
  useEffect(() => {
    if (told === null) return;
    const timer = setTimeout(() => setTold(null), 4000);
    return () => clearTimeout(timer);
  }, [told]);

  // The figures the store holds are up to a HUD tick old; a link or a picture is of the frame on
  // screen now, and the replay bar is brought to the same frame so the screen names one frame.
  const settle = (): UiState => {
    ui.setState({ hud: frames.hud() });
    return ui.getState();
  };
  const exportPng = async (): Promise<void> => {
    const state = settle();
    const blob = await heatmapPng(frames, state);
    if (!blob) {
      setTold('No frame to export yet');
      return;
    }
    const frame = frames.cursor?.frameIndex ?? state.hud.frameOnScreen;
    downloadBlob(blob, exportFileName(currentTenant(state), `frame-${frame}`, 'png', Date.now()));
  };
  const copyLink = async (): Promise<void> => {
    const state = settle();
    const url = exactViewUrl(state, window.location.href, state.hud.frameOnScreen);
    try {
      await navigator.clipboard.writeText(url);
      setTold('Link copied');
    } catch {
      // No clipboard (an insecure origin, a sandboxed frame): show it to copy by hand.
      setTold(url);
    }
  };
  return (
    <span className="stage-tools">
      {told !== null && (
        <span className="stage-told" role="status" data-testid="stage-told">
          {told}
        </span>
      )}
      <button
        type="button"
        data-testid="export-png"
        disabled={!hasFrame}
        onClick={() => void exportPng()}
        title="The frame on screen as a PNG, one pixel a spin"
      >
        PNG
      </button>
      <button
        type="button"
        data-testid="copy-link"
        onClick={() => void copyLink()}
        title="Copy a link that reopens exactly this view, on this frame"
      >
        Copy link
      </button>
      {embed && (
        <button
          type="button"
          data-testid="drawer-toggle"
          aria-expanded={drawerOpen}
          aria-controls="side-panels"
          onClick={() => actions.toggleDrawer()}
        >
          Panels
        </button>
      )}
    </span>
  );
}
