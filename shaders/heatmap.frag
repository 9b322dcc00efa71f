// SHADER_NAME heatmap.frag: colours each lattice cell by its phase through a cyclic colormap.
#ifdef GL_FRAGMENT_PRECISION_HIGH
precision highp float; // u16 phase arithmetic needs 16 integer bits
#else
precision mediump float;
#endif

uniform sampler2D u_phase;    // W x H, LUMINANCE_ALPHA bytes of the u16 phase: L = low byte, A = high byte; nearest
uniform sampler2D u_colormap; // 256 x 1 RGBA, entry k for phases in [k, k+1) / 256 of a turn; nearest
uniform vec4 u_window;        // visible window in lattice texture coordinates: xy = top-left, zw = size, [0, 1]
uniform float u_phaseOffset;  // subtracted from every phase (relative mode), u16 units [0, 65536)
varying vec2 v_screen;        // canvas coordinates, [0, 1]^2, origin at the top left

void main() {
  vec2 cell = u_window.xy + v_screen * u_window.zw;
  if (cell.x < 0.0 || cell.y < 0.0 || cell.x >= 1.0 || cell.y >= 1.0) {
    gl_FragColor = vec4(0.0, 0.0, 0.0, 1.0);
    return;
  }
  vec4 texel = texture2D(u_phase, cell);
  float high = floor(texel.a * 255.0 + 0.5);
  // Without an offset the entry is the high byte, exactly as the CPU renderer computes it.
  float entry = high;
  if (u_phaseOffset != 0.0) {
    float phase = high * 256.0 + floor(texel.r * 255.0 + 0.5);
    entry = floor(mod(phase - u_phaseOffset + 65536.0, 65536.0) / 256.0);
  }
  gl_FragColor = vec4(texture2D(u_colormap, vec2((entry + 0.5) / 256.0, 0.5)).rgb, 1.0);
}
