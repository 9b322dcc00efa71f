// SHADER_NAME heatmap.vert: a full-canvas quad showing a window of the lattice; the page keeps
// the canvas's aspect equal to the window's.
precision mediump float;

attribute vec2 a_position; // clip space, [-1, 1]^2
varying vec2 v_screen;     // canvas coordinates, [0, 1]^2, origin at the top left

void main() {
  v_screen = vec2(0.5 * (a_position.x + 1.0), 0.5 * (1.0 - a_position.y));
  gl_Position = vec4(a_position, 0.0, 1.0);
}
