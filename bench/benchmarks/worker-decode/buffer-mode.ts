// The worker-decode bench's two ways to get a frame's buffer, shared by the CLI (Node) and the page.

/**
 * Which buffers frames decode into: `reused`, those the page hands back as the console does
 * (src/app/frames/frame-store.ts), or `new`, a new array each frame, as the console did before.
 */
export const BUFFER_MODES = ['reused', 'new'] as const;
export type BufferMode = (typeof BUFFER_MODES)[number];
