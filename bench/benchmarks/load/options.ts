// The load benchmark's command line.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { numberOption } from '../../support/cli';
import type { ClientKind } from './client-thread';
import { TARGET } from './target';

export const LOAD_USAGE =
  'npm run bench:load -- --clients N --seconds S [--tenant T] [--url http://HOST:PORT] ' +
  '[--token TOKEN] [--load-clients viewer|decoding] [--workers W] [--probes K] [--warmup S] ' +
  '[--profile DIR] [--server-cpus LIST|any] [--client-cpus LIST|any] [--gateways N]\n' +
  '  a server the run starts runs on CPU 0 and the generator on the other CPUs, unless the CPUs\n' +
  '  are given (any: not pinned)\n' +
  '  --gateways N starts a cluster instead of one server (nats-server, a source, N gateways) and\n' +
  '  spreads the clients over the gateways in turn\n' +
  "  with --url, METRICS_SECRET is the scrape secret of that server's /metrics " +
  '(npm run admin -- secret show metrics)';

export interface LoadOptions {
  clients: number;
  seconds: number;
  warmupSeconds: number;
  tenant: string;
  url: string | undefined;
  token: string | undefined;
  /** What the load clients do with each frame (the probes always decode). */
  loadClients: ClientKind;
  workers: number;
  probes: number;
  profileDir: string | undefined;
  serverCpus: string | undefined;
  clientCpus: string | undefined;
  /** The CPUs above were chosen by the run, not given (cpuPinning). */
  pinnedByDefault: boolean;
  /** 0: one server process; N: a local cluster of a source and N gateways. */
  gateways: number;
}

export function parseLoadOptions(): LoadOptions {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: String(TARGET.clients) },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      tenant: { type: 'string', default: 'demo' },
      url: { type: 'string' },
      token: { type: 'string' },
      'load-clients': { type: 'string', default: 'viewer' },
      workers: { type: 'string' },
      probes: { type: 'string', default: '2' },
      profile: { type: 'string' },
      'server-cpus': { type: 'string' },
      'client-cpus': { type: 'string' },
      gateways: { type: 'string', default: '0' },
    },
    strict: true,
  });
  const count = (name: string, value: string, min: number): number =>
    numberOption(name, value, { min });
  const clients = count('clients', values.clients, 1);
  // One core for the server, one thread for the probes, the rest for the load.
  const workers = values.workers
    ? count('workers', values.workers, 1)
    : Math.max(1, availableParallelism() - 2);
  const loadClients = values['load-clients'];
  if (loadClients !== 'viewer' && loadClients !== 'decoding') {
    throw new Error(`--load-clients must be viewer or decoding, got "${loadClients}"`);
  }
  if (values.profile && values.url) {
    throw new Error('[bench:load] --profile profiles the server it starts: leave out --url');
  }
  const gateways = numberOption('gateways', values.gateways, { min: 0 });
  if (gateways > 0 && (values.url || values.profile)) {
    throw new Error(
      '[bench:load] --gateways starts its own cluster: leave out --url and --profile',
    );
  }
  if (values['server-cpus'] && values['server-cpus'] !== ANY_CPU && values.url) {
    throw new Error('[bench:load] --server-cpus pins the server it starts: leave out --url');
  }
  const pinning = cpuPinning(values['server-cpus'], values['client-cpus'], {
    ownServer: !values.url && gateways === 0,
    cpus: availableParallelism(),
  });
  return {
    clients,
    seconds: count('seconds', values.seconds, 1),
    warmupSeconds: count('warmup', values.warmup, 0),
    tenant: values.tenant,
    url: values.url?.replace(/\/$/, ''),
    token: values.token,
    loadClients,
    workers,
    probes: count('probes', values.probes, 0),
    profileDir: values.profile ? path.resolve(values.profile) : undefined,
    ...pinning,
    gateways,
  };
}

/** `any` for a process the run does not pin. */
const ANY_CPU = 'any';

/**
 * Which CPUs the server and the generator run on. Given, as given (`any`: not pinned). Not given,
 * for a server the run starts on a machine of two or more cores: the server on CPU 0, the
 * generator on the others. Viewers are other machines in production; on one machine, unpinned, the
 * scheduler moves the server's fan-out and the generator's threads over the same cores, and the
 * server's writes wait behind the generator (2-core machine, 500 clients: fan-out mean 9.0-9.3 ms
 * unpinned, 5.7-6.8 ms pinned, the server's CPU the same). A cluster (--gateways) is not pinned
 * unless asked.
 */
export function cpuPinning(
  serverCpus: string | undefined,
  clientCpus: string | undefined,
  machine: { ownServer: boolean; cpus: number },
): Pick<LoadOptions, 'serverCpus' | 'clientCpus' | 'pinnedByDefault'> {
  const given = (value: string | undefined) => (value === ANY_CPU ? undefined : value);
  if (serverCpus !== undefined || clientCpus !== undefined || !machine.ownServer) {
    return { serverCpus: given(serverCpus), clientCpus: given(clientCpus), pinnedByDefault: false };
  }
  if (machine.cpus < 2)
    return { serverCpus: undefined, clientCpus: undefined, pinnedByDefault: false };
  const clients = machine.cpus === 2 ? '1' : `1-${machine.cpus - 1}`;
  return { serverCpus: '0', clientCpus: clients, pinnedByDefault: true };
}
