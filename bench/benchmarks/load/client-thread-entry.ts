// The body of a client thread, started by startClientThread (client-thread.ts).
import { workerData } from 'node:worker_threads';
import { runClientThread, type ClientThreadInput } from './client-thread';

runClientThread(workerData as ClientThreadInput);
