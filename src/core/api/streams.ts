// GET /api/streams (docs/API.md): the streams of the tenants the caller may see, each described as
// the WebSocket's hello describes it, so the REST answer and the protocol cannot disagree.
import type { StreamInfo } from '../wire/envelope';

export type StreamList = StreamInfo[];
