// JSON schemas of observer mode and the held notifications (core/api/observer.ts): the routes
// validate and serialize with them, and the OpenAPI document is built from them.
import type {
  HeldChangeResult,
  NotificationEntry,
  NotificationList,
  ObserverStatus,
} from '../../core/api/observer';
import type { ObjectSchemaOf } from '../incidents/schemas';
import { MAX_OBSERVER_REASON_CHARS } from '../notify/observer';

const nullableIsoTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const ObserverStatusSchema = {
  type: 'object',
  required: ['enabled', 'changedAt', 'changedBy', 'reason', 'heldNotifications'],
  properties: {
    enabled: { type: 'boolean', description: 'Notifications are held, not sent.' },
    changedAt: nullableIsoTime,
    changedBy: { type: ['string', 'null'] },
    reason: { type: ['string', 'null'] },
    heldNotifications: { type: 'integer', minimum: 0 },
  },
} as const satisfies ObjectSchemaOf<ObserverStatus>;

export const ObserverChangeBody = {
  type: 'object',
  required: ['enabled'],
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    reason: { type: 'string', maxLength: MAX_OBSERVER_REASON_CHARS },
  },
} as const;

export const NotificationEntrySchema = {
  type: 'object',
  required: [
    'id',
    'channel',
    'dedupKey',
    'status',
    'attempts',
    'createdAt',
    'summary',
    'lastError',
  ],
  properties: {
    id: { type: 'integer' },
    channel: { type: 'string', enum: ['slack', 'pagerduty'] },
    dedupKey: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'held', 'sent', 'failed'] },
    attempts: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    summary: { type: 'string' },
    lastError: { type: ['string', 'null'] },
  },
} as const satisfies ObjectSchemaOf<NotificationEntry>;

export const NotificationListSchema = {
  type: 'object',
  required: ['notifications', 'total'],
  properties: {
    notifications: { type: 'array', items: NotificationEntrySchema },
    total: { type: 'integer' },
  },
} as const satisfies ObjectSchemaOf<NotificationList>;

export const NotificationListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['pending', 'held', 'sent', 'failed'], default: 'held' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;

export const HeldSelectionBody = {
  type: 'object',
  additionalProperties: false,
  description: 'Either `ids` (held notifications to act on) or `all: true`.',
  properties: {
    ids: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: { type: 'integer', minimum: 1 },
    },
    all: { type: 'boolean', const: true },
  },
  oneOf: [{ required: ['ids'] }, { required: ['all'] }],
} as const;

export const HeldChangeResultSchema = {
  type: 'object',
  required: ['changed', 'notHeld'],
  properties: {
    changed: { type: 'integer' },
    notHeld: { type: 'array', items: { type: 'integer' } },
  },
} as const satisfies ObjectSchemaOf<HeldChangeResult>;
