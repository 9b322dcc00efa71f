// The launch tooling's schemas that the OpenAPI document names as components.
import {
  NotificationEntrySchema,
  NotificationListSchema,
  ObserverStatusSchema,
} from './observer-schemas';

export const OPS_NAMED_SCHEMAS = {
  ObserverStatus: ObserverStatusSchema,
  Notification: NotificationEntrySchema,
  NotificationList: NotificationListSchema,
} as const;
