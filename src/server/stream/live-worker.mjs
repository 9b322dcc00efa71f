// Entry of the live simulator's worker thread. Workers do not inherit tsx's loader hooks from
// the parent on Node 20 (`execArgv: ['--import', 'tsx']` fails with ERR_UNKNOWN_FILE_EXTENSION),
// so the worker registers tsx itself before importing the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./live-worker.ts');
