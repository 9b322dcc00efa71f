// What a browser report says about the page's GPU: the WebGL renderer string (the unmasked one
// where the browser allows it, else the plain RENDERER, which is often generic) and the largest
// texture it takes. Read once from a throwaway context, released at once, so it costs the page
// none of its own contexts.

export interface WebglInfo {
  /** null without WebGL. */
  renderer: string | null;
  maxTextureSize: number | null;
}

export function probeWebglInfo(document: Document): WebglInfo {
  try {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl');
    if (!gl) return { renderer: null, maxTextureSize: null };
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer: unknown = gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
    const maxTextureSize: unknown = gl.getParameter(gl.MAX_TEXTURE_SIZE);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return {
      renderer: typeof renderer === 'string' ? renderer : null,
      maxTextureSize: typeof maxTextureSize === 'number' ? maxTextureSize : null,
    };
  } catch {
    return { renderer: null, maxTextureSize: null };
  }
}
