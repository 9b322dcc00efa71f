// SHADER_NAME heatmap.frag: colours each lattice cell by its phase through a cyclic colormap.
precision mediump float;

uniform sampler2D u_phase;    // W x H, LUMINANCE_ALPHA bytes of the u16 phase: L = low byte, A = high byte; nearest
uniform sampler2D u_colormap; // 256 x 1 RGBA, entry k for phases in [k, k+1) / 256 of a turn; nearest
varying vec2 v_cell;          // lattice texture coordinates, [0, 1]^2

void main() {
  // The high byte of the u16 phase is the colormap entry, exactly as the CPU renderer computes it.
  float entry = floor(texture2D(u_phase, v_cell).a * 255.0 + 0.5);
  gl_FragColor = vec4(texture2D(u_colormap, vec2((entry + 0.5) / 256.0, 0.5)).rgb, 1.0);
}
