// The 3-D spin view (three.js): one flat arrow per spin in the lattice plane, turned by its phase
// and coloured by the heatmap's colormap, with orbit controls. It is a FrameRenderer like the
// heatmaps: the page's render loop hands it frames.
//
// The GPU does the per-spin work. Each frame uploads the phases as they are, as a W x H texture of
// u16 (two bytes per spin, no CPU pass), and one quad over the lattice plane is drawn: its
// fragment shader (shaders/spin-arrows.frag) finds the spin whose square each pixel lies in, reads
// its phase, turns the pixel into the arrow's frame and colours it through the colormap texture if
// it falls inside the arrow. The cost is per pixel, whatever the number of spins. Geometry per
// arrow is avoided on purpose: software WebGL (SwiftShader) pays for every instance and every
// triangle it sets up, which held 12,000 instanced arrows to about 8 frames a second, and even
// one triangle per arrow costs more than the whole plane at 65,536 spins.
//
// Draws may still be slow on a weak machine, so the view keeps the interface's optional members:
// beginFrame measures what the last draw cost the page and paces the next with a DrawPacer (the
// page never freezes), and asks for a redraw when the camera moved; stats() reports its figures.
import {
  BufferGeometry,
  DataTexture,
  DoubleSide,
  GLSL3,
  LinearSRGBColorSpace,
  Matrix4,
  Mesh,
  NearestFilter,
  PerspectiveCamera,
  RGBAFormat,
  RawShaderMaterial,
  RedIntegerFormat,
  Scene,
  UnsignedByteType,
  UnsignedShortType,
  Vector2,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import vertexShader from '../../shaders/spin-arrows.vert?raw';
import fragmentShader from '../../shaders/spin-arrows.frag?raw';
import { DrawPacer } from './draw-pacer';
import { spinGrid, type SpinGrid } from './spin-grid';
import type {
  FrameReadiness,
  FrameRenderer,
  HeatmapFrame,
  RendererOptions,
  RendererStats,
} from './types';

/** The uniforms the arrows' material supplies; a unit test checks them against the shaders. */
export const SPIN_ARROW_UNIFORMS = [
  'u_viewProjection',
  'u_phase',
  'u_colormap',
  'u_lattice',
  'u_arrows',
  'u_stride',
] as const;
/** The lattice plane: two triangles, made from gl_VertexID by shaders/spin-arrows.vert. */
const PLANE_VERTICES = 6;

/** The 3-D view: a renderer that paces itself and reports its figures. */
export interface SpinView3D extends FrameRenderer {
  beginFrame(nowMs: number): FrameReadiness;
  stats(): RendererStats;
}

const FOV_DEG = 45;
/** A 60 Hz frame; a frame later than this after a draw counts the delay as the draw's cost. */
const NOMINAL_FRAME_MS = 1000 / 60;
/**
 * Draws are paced only when they cost more than this (three 60 Hz frames). A draw costs the same
 * whatever the lattice, a few milliseconds of GPU work per frame: a larger delay is a busy
 * machine or a very slow GPU on a very large canvas, and only the latter needs holding back.
 */
const PACE_ABOVE_MS = 50;
/**
 * Draws on a new lattice whose cost the pacer does not learn: the first ones compile the shaders
 * and allocate textures, costing up to seconds once, and a smoothed cost that high would hold
 * the following draws back for many seconds after.
 */
const WARM_UP_DRAWS = 3;

/** The lattice's phases as an integer texture: texel (x, y) is cell x of row y, a u16. */
function createPhaseTexture(frame: HeatmapFrame): DataTexture {
  const texture = new DataTexture(
    frame.phases,
    frame.width,
    frame.height,
    RedIntegerFormat,
    UnsignedShortType,
  );
  texture.internalFormat = 'R16UI';
  // Integer textures cannot be filtered; the shader reads exact texels with texelFetch anyway.
  texture.minFilter = NearestFilter;
  texture.magFilter = NearestFilter;
  texture.generateMipmaps = false;
  // Rows are 2 * W bytes: an odd width would break the default 4-byte row alignment.
  texture.unpackAlignment = 2;
  texture.needsUpdate = true;
  return texture;
}

function createColormapTexture(lut: Uint8Array): DataTexture {
  const texture = new DataTexture(lut, 256, 1, RGBAFormat, UnsignedByteType);
  texture.minFilter = NearestFilter;
  texture.magFilter = NearestFilter;
  texture.generateMipmaps = false;
  texture.needsUpdate = true;
  return texture;
}

export function createSpinView3D(canvas: HTMLCanvasElement, opts: RendererOptions): SpinView3D {
  // Throws when WebGL 2 is missing; the caller shows why. No depth buffer: the arrows lie in one
  // plane and never overlap, and clearing one would cost a pass over every pixel each frame.
  const renderer = new WebGLRenderer({ canvas, antialias: false, alpha: true, depth: false });
  // The colormap bytes are display (sRGB) values already and the raw shader writes them as they
  // are: nothing may convert them, so the arrows show exactly the heatmap's colours.
  renderer.outputColorSpace = LinearSRGBColorSpace;
  renderer.setClearColor(0x000000, 0);
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
  // One object: nothing to sort (sorting would ask the buffer-less geometry for its bounds).
  renderer.sortObjects = false;

  const scene = new Scene();
  const camera = new PerspectiveCamera(FOV_DEG, 1, 0.1, 1000);
  const controls = new OrbitControls(camera, canvas);
  controls.enableDamping = false; // damping would need a render every frame
  const pacer = new DrawPacer({ paceAboveMs: PACE_ABOVE_MS });

  const viewProjection = new Matrix4();
  const lattice = new Vector2(1, 1);
  const arrowsUniform = new Vector2(1, 1);
  let colormap = createColormapTexture(opts.colormapLut);
  let phases: DataTexture | null = null;
  const uniforms = {
    u_viewProjection: { value: viewProjection },
    u_phase: { value: null as DataTexture | null },
    u_colormap: { value: colormap },
    u_lattice: { value: lattice },
    u_arrows: { value: arrowsUniform },
    u_stride: { value: 1 },
  } satisfies Record<(typeof SPIN_ARROW_UNIFORMS)[number], unknown>;
  const material = new RawShaderMaterial({
    glslVersion: GLSL3,
    vertexShader,
    fragmentShader,
    uniforms,
    side: DoubleSide,
    depthTest: false,
    depthWrite: false,
  });
  // No attributes: the vertex shader makes the plane's vertices from gl_VertexID.
  const geometry = new BufferGeometry();
  geometry.setDrawRange(0, PLANE_VERTICES);
  const mesh = new Mesh(geometry, material);
  // The arrows cover the lattice, which the camera frames; the geometry has no bounds to cull by.
  mesh.frustumCulled = false;
  scene.add(mesh);

  let grid: SpinGrid | null = null;
  let drawsOnLattice = 0;
  let shown: HeatmapFrame | null = null;
  // The picture must be made again from the frame on screen: new colours, or a restored context
  // (three.js rebuilds its GPU state and uploads the textures again).
  let arrowsStale = false;
  let cameraMoved = true;
  /** The animation frame's time, as the loop gave it to beginFrame. */
  let frameStartMs = 0;
  let probeFromMs: number | null = null;
  let lastSyncMs = 0;
  const stats = { renders: 0, framesDrawn: 0 };

  function frameCamera(g: SpinGrid): void {
    const halfFov = (FOV_DEG * Math.PI) / 360;
    const halfHeight = Math.max(g.height / 2, g.width / 2 / Math.max(camera.aspect, 0.1));
    const distance = (halfHeight / Math.tan(halfFov)) * 1.08;
    // A slight tilt from straight above, so the view reads as 3-D from the start.
    camera.position.set(0, -0.3 * distance, 0.95 * distance);
    camera.near = distance / 100;
    camera.far = distance * 10;
    camera.updateProjectionMatrix();
    controls.target.set(0, 0, 0);
    controls.minDistance = 2;
    controls.maxDistance = distance * 4;
    controls.update();
  }

  /**
   * A lattice of another size: a texture of its size, which spins get an arrow (every one up to
   * MAX_ARROWS), and the camera framing it afresh.
   */
  function newLattice(frame: HeatmapFrame): void {
    phases?.dispose();
    phases = createPhaseTexture(frame);
    uniforms.u_phase.value = phases;
    lattice.set(frame.width, frame.height);
    const g = spinGrid(frame.width, frame.height);
    arrowsUniform.set(g.cols, g.rows);
    uniforms.u_stride.value = g.stride;
    grid = g;
    drawsOnLattice = 0;
    frameCamera(g);
  }

  function upload(frame: HeatmapFrame): void {
    if (!phases || !grid || grid.width !== frame.width || grid.height !== frame.height) {
      newLattice(frame);
    } else {
      // Same size: the frame's phases are the texture's data, uploaded into the same storage.
      phases.image.data = frame.phases;
      phases.needsUpdate = true;
    }
    shown = frame;
  }

  function beginFrame(nowMs: number): FrameReadiness {
    frameStartMs = nowMs;
    if (probeFromMs !== null) {
      // The frame after a draw: how late it came is what the draw cost the page.
      drawsOnLattice += 1;
      if (drawsOnLattice > WARM_UP_DRAWS) {
        pacer.finished(Math.max(lastSyncMs, nowMs - probeFromMs - NOMINAL_FRAME_MS));
      }
      probeFromMs = null;
    }
    if (!pacer.ready(nowMs)) return 'wait';
    return shown !== null && (arrowsStale || cameraMoved) ? 'redraw' : 'ready';
  }

  function draw(frame: HeatmapFrame): void {
    const fresh = frame !== shown;
    // The same frame again with nothing changed here (the heatmap's zoom changed, say): the
    // picture on screen is still right, and a render would only cost the page.
    if (!fresh && !arrowsStale && !cameraMoved) return;
    const startMs = performance.now();
    if (fresh) {
      upload(frame);
      stats.framesDrawn += 1;
    }
    arrowsStale = false;
    cameraMoved = false;
    camera.updateMatrixWorld();
    viewProjection.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
    renderer.render(scene, camera);
    stats.renders += 1;
    lastSyncMs = performance.now() - startMs;
    pacer.started(frameStartMs);
    probeFromMs = frameStartMs;
  }

  function onCameraChange(): void {
    cameraMoved = true;
  }

  function onContextLost(): void {
    opts.onContextLost?.();
  }

  function onContextRestored(): void {
    arrowsStale = true;
    opts.onContextRestored?.();
  }

  function resize(): void {
    const widthCss = canvas.clientWidth;
    const heightCss = canvas.clientHeight;
    if (widthCss === 0 || heightCss === 0) return;
    renderer.setSize(widthCss, heightCss, false);
    camera.aspect = widthCss / heightCss;
    camera.updateProjectionMatrix();
    cameraMoved = true;
  }

  controls.addEventListener('change', onCameraChange);
  canvas.addEventListener('webglcontextlost', onContextLost);
  canvas.addEventListener('webglcontextrestored', onContextRestored);
  resize();

  return {
    mode: 'gpu',
    draw,
    beginFrame,
    setColormap(next) {
      colormap.dispose();
      colormap = createColormapTexture(next);
      uniforms.u_colormap.value = colormap;
      arrowsStale = true;
    },
    resize,
    stats: () => ({
      ...stats,
      drawCostMs: pacer.drawCostMs,
      minIntervalMs: pacer.minIntervalMs,
      arrows: grid?.count ?? 0,
      stride: grid?.stride ?? 1,
    }),
    destroy() {
      controls.removeEventListener('change', onCameraChange);
      controls.dispose();
      canvas.removeEventListener('webglcontextlost', onContextLost);
      canvas.removeEventListener('webglcontextrestored', onContextRestored);
      geometry.dispose();
      material.dispose();
      phases?.dispose();
      colormap.dispose();
      renderer.dispose();
      // Browsers cap live WebGL contexts: give this one back now rather than at garbage collection.
      renderer.forceContextLoss();
    },
  };
}
