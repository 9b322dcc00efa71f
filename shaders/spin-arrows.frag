// SHADER_NAME spin-arrows.frag: draws the arrows on the lattice plane, one per shown spin, turned
// by its phase and coloured by the colormap. Each pixel finds the arrow whose square it lies in,
// reads that spin's phase, turns itself into the arrow's frame and keeps the arrow's colour if it
// falls inside the arrow's outline, else nothing. The cost is per pixel, not per spin; an arrow
// never leaves its square (it reaches 0.46 of a stride from its centre), so no other arrow can
// cover the pixel. GLSL ES 3.00.
precision highp float; // cell coordinates and exact colormap bytes need it
precision highp int;
precision highp usampler2D;

uniform usampler2D u_phase;   // W x H, R16UI: texel (x, y) is the u16 phase of cell x of row y, [0, 65536) for one turn
uniform sampler2D u_colormap; // 256 x 1 RGBA8, entry k for phases in [k, k+1) / 256 of a turn; read with texelFetch
uniform ivec2 u_arrows;       // arrows per row and per column
uniform int u_stride;         // cells between shown spins per axis, 1 when every spin has an arrow
in vec2 v_cell;               // lattice coordinates, cells: x = column, y = row (down), cell centres at integers
out vec4 o_colour;            // the pixel, RGBA in [0, 1]

const float RADIANS_PER_STEP = 6.283185307179586 / 65536.0;
// The arrow along +x (phase 0), in strides from its centre: a shaft and a triangular head.
const float TAIL = -0.45;
const float NECK = 0.1;
const float TIP = 0.45;
const float SHAFT_HALF_WIDTH = 0.07;
const float HEAD_HALF_WIDTH = 0.22;

void main() {
  vec2 grid = v_cell / float(u_stride);
  ivec2 arrow = clamp(ivec2(floor(grid + 0.5)), ivec2(0), u_arrows - 1);
  // Offset from the arrow's centre in strides, world axes (+y up).
  vec2 offset = (grid - vec2(arrow)) * vec2(1.0, -1.0);
  uint phase = texelFetch(u_phase, arrow * u_stride, 0).r;
  float angle = float(phase) * RADIANS_PER_STEP;
  float c = cos(angle);
  float s = sin(angle);
  // Turned back by the phase (clockwise): the arrow's own frame, where it points along +x.
  vec2 p = vec2(c * offset.x + s * offset.y, c * offset.y - s * offset.x);
  bool shaft = p.x >= TAIL && p.x <= NECK && abs(p.y) <= SHAFT_HALF_WIDTH;
  bool head = p.x >= NECK && p.x <= TIP && abs(p.y) <= HEAD_HALF_WIDTH * (TIP - p.x) / (TIP - NECK);
  if (!(shaft || head)) discard;
  // The heatmap's colour for this phase: the entry is the high byte, as on the CPU.
  o_colour = vec4(texelFetch(u_colormap, ivec2(int(phase >> 8u), 0), 0).rgb, 1.0);
}
