// JSON schemas of the token routes (core/api/tokens.ts): validation, serialization and the
// OpenAPI document.
import type { TokenRevocation } from '../../core/api/tokens';
import type { ObjectSchemaOf } from '../incidents/schemas';

export const TokenIdParams = {
  type: 'object',
  required: ['tokenId'],
  properties: { tokenId: { type: 'string', pattern: '^tok_[0-9a-f]{16}$' } },
} as const;

export const TokenRevocationSchema = {
  type: 'object',
  required: ['tokenId', 'alreadyRevoked'],
  properties: {
    tokenId: { type: 'string' },
    alreadyRevoked: { type: 'boolean' },
  },
} as const satisfies ObjectSchemaOf<TokenRevocation>;
