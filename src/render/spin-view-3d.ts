// The 3-D spin view (three.js): one instanced flat arrow per spin in the lattice plane, turned by
// its phase and coloured by the heatmap's colormap, with orbit controls. It is a FrameRenderer
// like the heatmaps: the page's render loop hands it frames. Its draws may be slow (software
// WebGL), so it uses the interface's optional members: beginFrame measures what the last draw
// cost the page and paces the next with a DrawPacer (the page never freezes), and asks for a
// redraw when the camera moved; stats() reports its figures.
import {
  BufferAttribute,
  BufferGeometry,
  DoubleSide,
  DynamicDrawUsage,
  InstancedBufferAttribute,
  InstancedMesh,
  LinearSRGBColorSpace,
  MeshBasicMaterial,
  PerspectiveCamera,
  Scene,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { DrawPacer } from './draw-pacer';
import {
  MAX_ARROWS,
  adaptArrowBudget,
  colourArrows,
  layoutMatrices,
  rotateMatrices,
  spinGrid,
  type SpinGrid,
} from './spin-instances';
import type {
  FrameReadiness,
  FrameRenderer,
  HeatmapFrame,
  RendererOptions,
  RendererStats,
} from './types';

/** The 3-D view: a renderer that paces itself and reports its figures. */
export interface SpinView3D extends FrameRenderer {
  beginFrame(nowMs: number): FrameReadiness;
  stats(): RendererStats;
}

const FOV_DEG = 45;
/** A 60 Hz frame; a frame later than this after a draw counts the delay as the draw's cost. */
const NOMINAL_FRAME_MS = 1000 / 60;
/**
 * Draws after a (re)build before their cost may change the detail: the first ones compile shaders
 * and allocate buffers, and cost far more than the steady state.
 */
const WARM_UP_DRAWS = 3;

/** A flat arrow along +x, centred on the origin, 0.9 cells long, in the z = 0 plane. */
function arrowGeometry(): BufferGeometry {
  // prettier-ignore
  const positions = new Float32Array([
    -0.45, -0.07, 0,   0.1, -0.07, 0,   0.1, 0.07, 0,   -0.45, 0.07, 0, // shaft
    0.1, -0.22, 0,     0.45, 0, 0,      0.1, 0.22, 0,                   // head
  ]);
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(positions, 3));
  geometry.setIndex([0, 1, 2, 0, 2, 3, 4, 5, 6]);
  return geometry;
}

export function createSpinView3D(canvas: HTMLCanvasElement, opts: RendererOptions): SpinView3D {
  // Throws when WebGL is missing; the caller shows why.
  const renderer = new WebGLRenderer({ canvas, antialias: false, alpha: true });
  // The colormap bytes are display (sRGB) values already: pass them through unconverted, so the
  // arrows show exactly the heatmap's colours.
  renderer.outputColorSpace = LinearSRGBColorSpace;
  renderer.setClearColor(0x000000, 0);
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));

  const scene = new Scene();
  const camera = new PerspectiveCamera(FOV_DEG, 1, 0.1, 1000);
  const controls = new OrbitControls(camera, canvas);
  controls.enableDamping = false; // damping would need a render every frame
  const geometry = arrowGeometry();
  const material = new MeshBasicMaterial({ side: DoubleSide });
  const pacer = new DrawPacer();

  let lut = opts.colormapLut;
  // Pacing alone cannot help when one draw blocks the page for a second (65,536 instances on
  // software WebGL): then fewer arrows are drawn, every stride-th spin, until draws are cheap.
  let arrowBudget = MAX_ARROWS;
  let drawsSinceBuild = 0;
  let mesh: InstancedMesh | null = null;
  let grid: SpinGrid | null = null;
  let shown: HeatmapFrame | null = null;
  // The arrows must be written again from the frame on screen: new colours, new detail, or a
  // restored context (three.js rebuilds its GPU state and uploads them again).
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

  function rebuild(frame: HeatmapFrame): void {
    if (mesh) {
      scene.remove(mesh);
      mesh.dispose();
    }
    const sameLattice = grid?.width === frame.width && grid.height === frame.height;
    grid = spinGrid(frame.width, frame.height, arrowBudget);
    drawsSinceBuild = 0;
    mesh = new InstancedMesh(geometry, material, grid.count);
    mesh.instanceMatrix.setUsage(DynamicDrawUsage);
    mesh.instanceColor = new InstancedBufferAttribute(new Uint8Array(grid.count * 3), 3, true);
    mesh.instanceColor.setUsage(DynamicDrawUsage);
    // Instances cover the lattice, which the camera frames: the per-instance bounding sphere that
    // culling would compute walks every matrix.
    mesh.frustumCulled = false;
    layoutMatrices(mesh.instanceMatrix.array as Float32Array, grid);
    scene.add(mesh);
    // A change of detail keeps the operator's camera; a new lattice is framed afresh.
    if (!sameLattice) frameCamera(grid);
  }

  /** Changes the arrow budget from the smoothed draw cost; true when the layout must be rebuilt. */
  function adaptDetail(): boolean {
    if (!grid || drawsSinceBuild < WARM_UP_DRAWS) return false;
    const next = adaptArrowBudget(arrowBudget, grid.count, pacer.drawCostMs);
    if (next === arrowBudget) return false;
    arrowBudget = next;
    const stride = spinGrid(grid.width, grid.height, arrowBudget).stride;
    if (stride === grid.stride) return false;
    pacer.reset();
    return true;
  }

  function updateArrows(frame: HeatmapFrame): void {
    if (
      !mesh ||
      !grid ||
      grid.width !== frame.width ||
      grid.height !== frame.height ||
      spinGrid(frame.width, frame.height, arrowBudget).stride !== grid.stride
    ) {
      rebuild(frame);
    }
    rotateMatrices(mesh!.instanceMatrix.array as Float32Array, frame.phases, grid!);
    colourArrows(mesh!.instanceColor!.array as Uint8Array, frame.phases, lut, grid!);
    mesh!.instanceMatrix.needsUpdate = true;
    mesh!.instanceColor!.needsUpdate = true;
    shown = frame;
  }

  function beginFrame(nowMs: number): FrameReadiness {
    frameStartMs = nowMs;
    if (probeFromMs !== null) {
      // The frame after a draw: how late it came is what the draw cost the page.
      pacer.finished(Math.max(lastSyncMs, nowMs - probeFromMs - NOMINAL_FRAME_MS));
      probeFromMs = null;
      drawsSinceBuild += 1;
      if (adaptDetail()) arrowsStale = true;
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
    if (fresh || arrowsStale) updateArrows(frame);
    if (fresh) stats.framesDrawn += 1;
    arrowsStale = false;
    cameraMoved = false;
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
      lut = next;
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
      mesh?.dispose();
      geometry.dispose();
      material.dispose();
      renderer.dispose();
      // Browsers cap live WebGL contexts: give this one back now rather than at garbage collection.
      renderer.forceContextLoss();
    },
  };
}
