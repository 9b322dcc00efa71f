// `npm run admin -- sdk-demand ...`: external SDK demand, the wire-format gate's third
// condition, recorded with a reason by the person who heard it.
import { SDK_LANGUAGES } from '../core/api/gates';
import {
  isSdkLanguage,
  listSdkDemand,
  recordSdkDemand,
  SdkDemandError,
} from '../server/gates/sdk-demand';
import {
  actorOf,
  osUser,
  stringOption,
  table,
  UsageError,
  type AdminCommand,
} from './admin-common';

export const GATE_COMMANDS: Record<string, AdminCommand> = {
  'sdk-demand record': {
    options: ['sdk', 'reason', 'by'],
    maxArgs: 0,
    run(db, _args, values, io) {
      const sdk = stringOption(values, 'sdk');
      const reason = stringOption(values, 'reason');
      if (sdk === undefined || !isSdkLanguage(sdk)) {
        throw new UsageError(`--sdk must be one of ${SDK_LANGUAGES.join(', ')}`);
      }
      if (reason === undefined) throw new UsageError('--reason is required: who asks, and why');
      let record;
      try {
        record = recordSdkDemand(db, { sdk, reason, by: actorOf(values, osUser()) });
      } catch (error) {
        if (error instanceof SdkDemandError) throw new UsageError(`--reason: ${error.message}`);
        throw error;
      }
      io.out(
        `recorded SDK demand ${record.id} (${record.sdk}) by ${record.recordedBy}; ` +
          `${listSdkDemand(db).length} on record (GET /api/gates shows the wire-format gate)`,
      );
    },
  },
  'sdk-demand list': {
    options: ['json'],
    maxArgs: 0,
    run(db, _args, values, io) {
      const records = listSdkDemand(db);
      if (values.json) return io.out(JSON.stringify(records, null, 2));
      if (records.length === 0) return io.out('no SDK demand recorded');
      io.out(
        table([
          ['ID', 'SDK', 'RECORDED', 'BY', 'REASON'],
          ...records.map((r) => [String(r.id), r.sdk, r.recordedAt, r.recordedBy, r.reason]),
        ]),
      );
    },
  },
};
