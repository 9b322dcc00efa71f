// A real nats-server for tests, drills and `npm run dev:cluster`: Debian's nats-server on a port
// it picks itself (no race for a free port), JetStream on, its store in a temporary directory,
// bound to loopback. stop() ends it and waits for the process to exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tempDir } from './temp-dir';

export interface NatsServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the server printed, for a failing test's message. */
  readonly output: string;
  stop(): Promise<void>;
}

const LISTENING = /Listening for client connections on [^\s]+:(\d+)/;

export async function startNatsServer(
  options: { binary?: string; startTimeoutMs?: number } = {},
): Promise<NatsServer> {
  const storeDir = tempDir('nats');
  const child = spawn(
    options.binary ?? 'nats-server',
    ['-a', '127.0.0.1', '-p', '-1', '-js', '-sd', storeDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`nats-server did not start in time:\n${output}`)),
      options.startTimeoutMs ?? 15_000,
    );
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run nats-server (apt-get install nats-server): ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    process: child,
    get output() {
      return output;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
