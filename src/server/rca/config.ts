// The RCA's settings: the endpoint from --rca-endpoint / RCA_ENDPOINT (config.ts), the rest from
// the environment: RCA_MODEL (required with an endpoint), RCA_API_KEY, RCA_TIMEOUT_MS,
// RCA_RETRIES, RCA_MAX_REQUEST_BYTES and RCA_DRAFT_ON_OPEN (1, the default, or 0).
import { DEFAULT_CHAT_CONFIG } from './chat-engine';
import type { RcaConfig } from './service';

export class RcaConfigError extends Error {
  constructor(message: string) {
    super(`[rca] ${message}`);
    this.name = 'RcaConfigError';
  }
}

function integer(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new RcaConfigError(
      `${name} must be a whole number ${min}-${max}, got "${value.slice(0, 20)}"`,
    );
  }
  return Number(value);
}

export function rcaConfigFromEnv(
  endpoint: string | null,
  env: Readonly<Record<string, string | undefined>>,
): RcaConfig {
  const onOpen = env.RCA_DRAFT_ON_OPEN ?? '1';
  if (!['0', '1', 'true', 'false', ''].includes(onOpen)) {
    throw new RcaConfigError(`RCA_DRAFT_ON_OPEN must be 1 or 0, got "${onOpen.slice(0, 20)}"`);
  }
  const draftOnOpen = onOpen !== '0' && onOpen !== 'false';
  if (endpoint === null) return { chat: null, draftOnOpen };
  const model = env.RCA_MODEL ?? '';
  if (model.trim() === '') {
    throw new RcaConfigError(
      'RCA_MODEL must name the model the endpoint serves (the name Ollama or vLLM lists; any name for a llama.cpp server)',
    );
  }
  return {
    draftOnOpen,
    chat: {
      endpoint,
      model,
      apiKey: env.RCA_API_KEY || null,
      timeoutMs: integer(env, 'RCA_TIMEOUT_MS', DEFAULT_CHAT_CONFIG.timeoutMs, 1000, 600_000),
      retries: integer(env, 'RCA_RETRIES', DEFAULT_CHAT_CONFIG.retries, 0, 5),
      maxRequestBytes: integer(
        env,
        'RCA_MAX_REQUEST_BYTES',
        DEFAULT_CHAT_CONFIG.maxRequestBytes,
        4096,
        4 * 1024 * 1024,
      ),
      maxAnswerChars: DEFAULT_CHAT_CONFIG.maxAnswerChars,
    },
  };
}
