import { describe, expect, it } from 'vitest';
import { cpuPinning } from './options';

describe('cpuPinning', () => {
  it('puts a server the run starts on CPU 0 and the generator on the other CPUs', () => {
    expect(cpuPinning(undefined, undefined, { ownServer: true, cpus: 2 })).toEqual({
      serverCpus: '0',
      clientCpus: '1',
      pinnedByDefault: true,
    });
    expect(cpuPinning(undefined, undefined, { ownServer: true, cpus: 16 })).toMatchObject({
      serverCpus: '0',
      clientCpus: '1-15',
    });
  });

  it('pins nothing on one core, for a server behind --url, or for a cluster', () => {
    const none = { serverCpus: undefined, clientCpus: undefined, pinnedByDefault: false };
    expect(cpuPinning(undefined, undefined, { ownServer: true, cpus: 1 })).toEqual(none);
    expect(cpuPinning(undefined, undefined, { ownServer: false, cpus: 2 })).toEqual(none);
  });

  it('takes CPUs as given, and "any" as not pinned', () => {
    expect(cpuPinning('0-1', undefined, { ownServer: true, cpus: 4 })).toEqual({
      serverCpus: '0-1',
      clientCpus: undefined,
      pinnedByDefault: false,
    });
    expect(cpuPinning('any', 'any', { ownServer: true, cpus: 2 })).toEqual({
      serverCpus: undefined,
      clientCpus: undefined,
      pinnedByDefault: false,
    });
  });
});
