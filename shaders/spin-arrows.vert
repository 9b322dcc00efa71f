// SHADER_NAME spin-arrows.vert: the plane the 3-D view's arrows lie on, one quad over the lattice
// in the z = 0 plane, made from gl_VertexID (no vertex buffers). The fragment shader draws the
// arrows on it. GLSL ES 3.00.
precision highp float;
precision highp int;

uniform mat4 u_viewProjection; // world to clip space; world: one unit per cell, lattice centred on the origin, row 0 on top (+y), z = 0
uniform ivec2 u_lattice;       // lattice width and height, cells
uniform ivec2 u_arrows;        // arrows per row and per column
uniform int u_stride;          // cells between shown spins per axis, 1 when every spin has an arrow
out vec2 v_cell;               // lattice coordinates, cells: x = column, y = row (down), cell centres at integers

// Two triangles over [0, 1]^2.
const vec2 QUAD[6] = vec2[6](
  vec2(0.0, 0.0), vec2(1.0, 0.0), vec2(1.0, 1.0),
  vec2(0.0, 0.0), vec2(1.0, 1.0), vec2(0.0, 1.0)
);

void main() {
  // Half a stride around the outer arrows' centres: each arrow stays inside its own square.
  float stride = float(u_stride);
  vec2 from = vec2(-0.5 * stride);
  vec2 to = vec2(u_arrows) * stride - 0.5 * stride;
  v_cell = mix(from, to, QUAD[gl_VertexID]);
  vec2 world = vec2(v_cell.x - 0.5 * float(u_lattice.x - 1), 0.5 * float(u_lattice.y - 1) - v_cell.y);
  gl_Position = u_viewProjection * vec4(world, 0.0, 1.0);
}
