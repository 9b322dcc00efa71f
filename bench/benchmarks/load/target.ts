// What a load run must hold, and when a client counts as keeping up with the stream.

export const TARGET = { clients: 500, framesPerSecond: 60, latencyP95Ms: 7 };
/** A client holds the stream when it decodes at least this share of the stream's frame rate. */
export const MIN_RATE_SHARE = 0.9;
/** A client whose frames reach it later than this is behind the stream, not keeping up. */
export const CAUGHT_UP_MS = 100;
export const CATCH_UP_LIMIT_S = 20;
