// Cyclic colormaps for phases. Each is a closed path in OKLab, resampled by arc length so that
// equal phase steps give equal perceptual steps (uniform), and closed so 0 and 2pi meet.
// Both renderers index the same 256-entry RGBA table with the high byte of the u16 phase, so
// the GPU and the CPU canvas draw identical colours.

export const COLORMAP_SIZE = 256;

export const COLORMAP_NAMES = ['wheel', 'twilight', 'ember'] as const;
export type ColormapName = (typeof COLORMAP_NAMES)[number];
export const DEFAULT_COLORMAP: ColormapName = 'wheel';

export function isColormapName(value: string): value is ColormapName {
  return (COLORMAP_NAMES as readonly string[]).includes(value);
}

type Oklab = [l: number, a: number, b: number];

/** Each path maps t in [0, 1) to an OKLab colour; t = 0 and t = 1 must coincide. */
const PATHS: Record<ColormapName, (t: number) => Oklab> = {
  // Isoluminant hue circle: no phase looks brighter than another, so structure reads by hue alone.
  wheel: (t) => {
    const h = 2 * Math.PI * t;
    return [0.72, 0.115 * Math.cos(h), 0.115 * Math.sin(h)];
  },
  // Light at 0, dark at pi, blue on the way down and warm on the way up (after matplotlib's twilight).
  twilight: (t) => {
    const h = 2 * Math.PI * t;
    return [0.6 + 0.28 * Math.cos(h), 0.03 + 0.03 * Math.sin(h) ** 2, -0.1 * Math.sin(h)];
  },
  // Dark at 0, bright at pi through red and yellow, back through violet.
  ember: (t) => {
    const h = 2 * Math.PI * t;
    return [0.56 - 0.22 * Math.cos(h), 0.02 + 0.05 * Math.cos(h / 2) ** 2, 0.1 * Math.sin(h)];
  },
};

function srgbGamma(linear: number): number {
  const c = Math.min(1, Math.max(0, linear));
  return c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
}

/** OKLab to linear sRGB; inside the gamut each channel is in [0, 1]. */
export function oklabToLinearSrgb([l, a, b]: Oklab): [number, number, number] {
  const l_ = l + 0.3963377774 * a + 0.2158037573 * b;
  const m_ = l - 0.1055613458 * a - 0.0638541728 * b;
  const s_ = l - 0.0894841775 * a - 1.291485548 * b;
  const l3 = l_ ** 3;
  const m3 = m_ ** 3;
  const s3 = s_ ** 3;
  return [
    4.0767416621 * l3 - 3.3077115913 * m3 + 0.2309699292 * s3,
    -1.2684380046 * l3 + 2.6097574011 * m3 - 0.3413193965 * s3,
    -0.0041960863 * l3 - 0.7034186147 * m3 + 1.707614701 * s3,
  ];
}

/** OKLab to sRGB in [0, 1] per channel, clamped to the gamut. */
export function oklabToSrgb(lab: Oklab): [number, number, number] {
  const [r, g, b] = oklabToLinearSrgb(lab);
  return [srgbGamma(r), srgbGamma(g), srgbGamma(b)];
}

function distance(p: Oklab, q: Oklab): number {
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/** The OKLab colour of each table entry, spaced evenly along the path's length. */
export function colormapOklab(name: ColormapName): Oklab[] {
  const path = PATHS[name];
  const fineSteps = 4096;
  const points: Oklab[] = [];
  const cumulative = new Float64Array(fineSteps + 1);
  for (let i = 0; i <= fineSteps; i++) {
    points.push(path(i / fineSteps));
    if (i > 0) cumulative[i] = cumulative[i - 1]! + distance(points[i - 1]!, points[i]!);
  }
  const total = cumulative[fineSteps]!;
  const out: Oklab[] = [];
  let j = 0;
  for (let k = 0; k < COLORMAP_SIZE; k++) {
    // Entry k stands for phases in [k, k+1) / 256 of a turn: sample the middle of that range.
    const target = ((k + 0.5) / COLORMAP_SIZE) * total;
    while (cumulative[j + 1]! < target) j++;
    const span = cumulative[j + 1]! - cumulative[j]!;
    const f = span > 0 ? (target - cumulative[j]!) / span : 0;
    const p = points[j]!;
    const q = points[j + 1]!;
    out.push([p[0] + (q[0] - p[0]) * f, p[1] + (q[1] - p[1]) * f, p[2] + (q[2] - p[2]) * f]);
  }
  return out;
}

const lutCache = new Map<ColormapName, Uint8Array>();

/** 256 RGBA entries (1024 bytes); entry = phase u16 >> 8. Cached; do not modify. */
export function colormapLut(name: ColormapName): Uint8Array {
  let lut = lutCache.get(name);
  if (!lut) {
    lut = new Uint8Array(COLORMAP_SIZE * 4);
    colormapOklab(name).forEach((lab, k) => {
      const [r, g, b] = oklabToSrgb(lab);
      lut![k * 4] = Math.round(r * 255);
      lut![k * 4 + 1] = Math.round(g * 255);
      lut![k * 4 + 2] = Math.round(b * 255);
      lut![k * 4 + 3] = 255;
    });
    lutCache.set(name, lut);
  }
  return lut;
}

/** Table entry for a quantized phase. */
export function colormapIndex(phaseQ: number): number {
  return (phaseQ & 0xffff) >>> 8;
}
