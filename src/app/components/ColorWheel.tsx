import { useEffect, useRef } from 'react';
import { colormapLut, type ColormapName } from '../../core/colormap';

const SIZE_PX = 72;

/** The colormap around a ring: phase 0 at the right, increasing counter-clockwise. */
export function ColorWheel({ colormap, relative }: { colormap: ColormapName; relative: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const lut = colormapLut(colormap);
    const c = SIZE_PX / 2;
    context.clearRect(0, 0, SIZE_PX, SIZE_PX);
    for (let k = 0; k < 256; k++) {
      const a0 = -((k / 256) * 2 * Math.PI);
      const a1 = -(((k + 1.5) / 256) * 2 * Math.PI);
      context.beginPath();
      context.arc(c, c, c - 2, a0, a1, true);
      context.arc(c, c, c - 14, a1, a0, false);
      context.closePath();
      context.fillStyle = `rgb(${lut[k * 4]}, ${lut[k * 4 + 1]}, ${lut[k * 4 + 2]})`;
      context.fill();
    }
  }, [colormap]);
  return (
    <figure
      className="wheel"
      aria-label={`Colour legend: ${colormap}${relative ? ', relative to the mean phase' : ''}`}
    >
      <canvas ref={ref} width={SIZE_PX} height={SIZE_PX} data-testid="color-wheel" />
      <figcaption className="muted">{relative ? 'θ − ψ' : 'θ'}: 0 → right, π/2 ↑</figcaption>
    </figure>
  );
}
