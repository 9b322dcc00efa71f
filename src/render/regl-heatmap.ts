// GPU heatmap: the u16 phases go to a texture as they are (two bytes per texel, no CPU pass),
// and the fragment shader looks the colour up in a 256-entry colormap texture.
import createREGL from 'regl';
import vertSource from '../../shaders/heatmap.vert?raw';
import fragSource from '../../shaders/heatmap.frag?raw';
import {
  backingScale,
  fitBackingStore,
  fullView,
  type RendererOptions,
  type HeatmapRenderer,
  type HeatmapView,
} from './types';

/** RGBA bytes of the 256-entry colormap texture. */
const COLORMAP_TEXTURE_BYTES = 256 * 4;
/** Two bytes a spin: the u16 phases as luminance-alpha texels. */
const PHASE_TEXEL_BYTES = 2;

/** The uniforms the heatmap command supplies; a unit test checks them against the shaders. */
export const HEATMAP_UNIFORMS = ['u_phase', 'u_colormap', 'u_window', 'u_phaseOffset'] as const;
export const HEATMAP_ATTRIBUTES = ['a_position'] as const;

export function createReglHeatmap(
  canvas: HTMLCanvasElement,
  options: RendererOptions,
): HeatmapRenderer {
  let regl: createREGL.Regl;
  try {
    regl = createREGL({
      canvas,
      attributes: { alpha: false, antialias: false, depth: false, stencil: false },
    });
  } catch (error) {
    throw new Error(`[render] WebGL is not available: ${(error as Error).message}`, {
      cause: error,
    });
  }

  const texelOptions = {
    format: 'luminance alpha',
    type: 'uint8',
    min: 'nearest',
    mag: 'nearest',
    wrapS: 'clamp',
    wrapT: 'clamp',
    alignment: 1,
  } as const;
  let phaseTexture = regl.texture({ ...texelOptions, width: 1, height: 1 });
  let textureWidth = 1;
  let textureHeight = 1;
  const colormapOptions = {
    width: 256,
    height: 1,
    format: 'rgba',
    type: 'uint8',
    min: 'nearest',
    mag: 'nearest',
  } as const;
  const colormapTexture = regl.texture({ ...colormapOptions, data: options.colormapLut });

  interface DrawProps {
    window: [number, number, number, number];
    phaseOffset: number;
  }
  interface Uniforms {
    u_phase: createREGL.Texture2D;
    u_colormap: createREGL.Texture2D;
    u_window: [number, number, number, number];
    u_phaseOffset: number;
  }
  const drawQuad = regl<Uniforms, { a_position: number[] }, DrawProps>({
    vert: vertSource,
    frag: fragSource,
    attributes: { a_position: [-1, -1, 1, -1, -1, 1, 1, 1] },
    uniforms: {
      u_phase: () => phaseTexture,
      u_colormap: colormapTexture,
      u_window: regl.prop<DrawProps, 'window'>('window'),
      u_phaseOffset: regl.prop<DrawProps, 'phaseOffset'>('phaseOffset'),
    } satisfies Record<(typeof HEATMAP_UNIFORMS)[number], unknown>,
    primitive: 'triangle strip',
    count: 4,
    depth: { enable: false },
  });

  const lost = regl.on('lost', () => options.onContextLost?.());
  const restored = regl.on('restore', () => options.onContextRestored?.());

  return {
    mode: 'gpu',
    draw(frame, view: HeatmapView = fullView(frame.width, frame.height)) {
      if (regl._gl.isContextLost()) return;
      const resized = fitBackingStore(canvas, frame, backingScale(frame, view));
      const data = new Uint8Array(
        frame.phases.buffer,
        frame.phases.byteOffset,
        frame.phases.byteLength,
      );
      if (frame.width !== textureWidth || frame.height !== textureHeight) {
        phaseTexture = phaseTexture({
          ...texelOptions,
          width: frame.width,
          height: frame.height,
          data,
        });
        textureWidth = frame.width;
        textureHeight = frame.height;
      } else {
        phaseTexture.subimage({ ...texelOptions, width: frame.width, height: frame.height, data });
      }
      if (resized) regl.poll();
      drawQuad({
        window: [
          view.x0Cells / frame.width,
          view.y0Cells / frame.height,
          view.spanXCells / frame.width,
          view.spanYCells / frame.height,
        ],
        phaseOffset: view.phaseOffsetQ,
      });
    },
    setColormap(lut) {
      colormapTexture({ ...colormapOptions, data: lut });
    },
    resize() {
      regl.poll();
    },
    gpuBytes() {
      return textureWidth * textureHeight * PHASE_TEXEL_BYTES + COLORMAP_TEXTURE_BYTES;
    },
    destroy() {
      lost.cancel();
      restored.cancel();
      regl.destroy();
    },
  };
}
