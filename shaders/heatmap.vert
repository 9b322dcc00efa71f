// SHADER_NAME heatmap.vert: a full-canvas quad; the lattice fills the canvas, whose aspect the
// page keeps equal to the lattice's.
precision mediump float;

attribute vec2 a_position; // clip space, [-1, 1]^2
varying vec2 v_cell;       // lattice texture coordinates, [0, 1]^2, row 0 at the top

void main() {
  v_cell = vec2(0.5 * (a_position.x + 1.0), 0.5 * (1.0 - a_position.y));
  gl_Position = vec4(a_position, 0.0, 1.0);
}
