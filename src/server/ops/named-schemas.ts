// The launch tooling's schemas that the OpenAPI document names as components.
import {
  NotificationEntrySchema,
  NotificationListSchema,
  ObserverStatusSchema,
} from './observer-schemas';
import { GateSchema, GatesReportSchema, SdkDemandRecordSchema } from './gates-schemas';
import { BaselineSchema, BaselineSummarySchema, SnapshotSchema } from './baselines-schemas';
import { ClientReportInputSchema, ClientReportSchema } from './client-reports-schemas';
import {
  AuditEntrySchema,
  DecidingPolicySchema,
  PolicySummarySchema,
  PromotionFiguresSchema,
  PromotionSchema,
  TenantSettingsChangeSchema,
} from './policy-schemas';

export const OPS_NAMED_SCHEMAS = {
  ObserverStatus: ObserverStatusSchema,
  Notification: NotificationEntrySchema,
  NotificationList: NotificationListSchema,
  Gate: GateSchema,
  GatesReport: GatesReportSchema,
  SdkDemandRecord: SdkDemandRecordSchema,
  Snapshot: SnapshotSchema,
  BaselineSummary: BaselineSummarySchema,
  Baseline: BaselineSchema,
  ClientReportInput: ClientReportInputSchema,
  ClientReport: ClientReportSchema,
  TenantSettingsChange: TenantSettingsChangeSchema,
  DecidingPolicy: DecidingPolicySchema,
  PromotionFigures: PromotionFiguresSchema,
  Promotion: PromotionSchema,
  PolicySummary: PolicySummarySchema,
  AuditEntry: AuditEntrySchema,
} as const;
