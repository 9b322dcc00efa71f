// The postMessage API between the app in an iframe and its host (docs/EMBED.md). Validated
// here, at the boundary: anything malformed is refused with a reason, never half-applied.
import { isTenantId } from '../../core/tenant-id';
import type { StreamStateName } from '../frames/stream-state';
import { TOKEN_FORMAT } from '../shell/token';

export const EMBED_VERSION = 1;

export type HostMessage =
  | { type: 'setTenant'; tenant: string }
  /** Tokens go by message, never in the URL; null signs out. */
  | { type: 'setToken'; token: string | null }
  | { type: 'seek'; frame: number }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'setTheme'; theme: 'light' | 'dark' };

export interface EmbedState {
  tenant: string | null;
  connected: boolean;
  renderMode: 'gpu' | 'cpu';
  width: number;
  height: number;
  frameIndex: number;
  playing: boolean;
  live: boolean;
  theme: 'light' | 'dark';
  streamState: EmbedStreamState;
}

/** The stream state as a host gets it: the name, since when the picture is not current, why. */
export interface EmbedStreamState {
  state: StreamStateName;
  current: boolean;
  /** ms since the epoch; null while the picture is current. */
  sinceMs: number | null;
  message: string;
}

export type AppMessage =
  | { type: 'ready'; version: number; state: EmbedState }
  | { type: 'state'; version: number; state: EmbedState }
  | { type: 'streamState'; version: number; streamState: EmbedStreamState }
  | { type: 'error'; version: number; code: string; message: string }
  | {
      type: 'drilldown';
      version: number;
      target:
        | { kind: 'ticket'; id: number; url: string }
        | { kind: 'tickets'; filters: Record<string, unknown>; url: string };
    };

/** A host message, or the reason it was refused. */
export function parseHostMessage(data: unknown): HostMessage | { refused: string } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { refused: 'message is not an object' };
  }
  const m = data as Record<string, unknown>;
  if (m.version !== undefined && m.version !== EMBED_VERSION) {
    return {
      refused: `unsupported version ${JSON.stringify(m.version)} (this app speaks ${EMBED_VERSION})`,
    };
  }
  switch (m.type) {
    case 'setTenant':
      return typeof m.tenant === 'string' && isTenantId(m.tenant)
        ? { type: 'setTenant', tenant: m.tenant }
        : { refused: 'setTenant: tenant must be a tenant id (a-z, 0-9, _ and -, up to 63)' };
    case 'setToken':
      return m.token === null || (typeof m.token === 'string' && TOKEN_FORMAT.test(m.token))
        ? { type: 'setToken', token: m.token as string | null }
        : {
            refused: 'setToken: token must be 16-256 characters of A-Z, a-z, 0-9, _ and -, or null',
          };
    case 'seek':
      return typeof m.frame === 'number' &&
        Number.isInteger(m.frame) &&
        m.frame >= 0 &&
        m.frame <= 0xffffffff
        ? { type: 'seek', frame: m.frame }
        : { refused: 'seek: frame must be an integer >= 0' };
    case 'play':
    case 'pause':
      return { type: m.type };
    case 'setTheme':
      return m.theme === 'light' || m.theme === 'dark'
        ? { type: 'setTheme', theme: m.theme }
        : { refused: 'setTheme: theme must be "light" or "dark"' };
    default:
      return {
        refused: `unknown message type ${JSON.stringify(m.type)?.slice(0, 40) ?? 'undefined'}`,
      };
  }
}

/** Whether a message's origin may talk to the app: the app's own origin or one the server allows. */
export function originAllowed(
  origin: string,
  ownOrigin: string,
  allowed: readonly string[],
): boolean {
  return origin === ownOrigin || allowed.includes(origin);
}
