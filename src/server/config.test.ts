import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_TRACE_PATH, parseServerConfig } from './config';

describe('parseServerConfig', () => {
  it('uses the documented defaults', () => {
    const config = parseServerConfig([], {});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      tracePath: DEFAULT_TRACE_PATH,
      traceIsDefault: true,
      dataDir: path.resolve('data'),
      embedOrigins: [],
    });
  });

  it('switches observer mode on with --observer or OBSERVER=1, and refuses other values', () => {
    expect(parseServerConfig([], {})).toMatchObject({ observer: false });
    expect(parseServerConfig(['--observer'], {})).toMatchObject({ observer: true });
    expect(parseServerConfig([], { OBSERVER: '1' })).toMatchObject({ observer: true });
    expect(() => parseServerConfig([], { OBSERVER: 'yes' })).toThrow(
      'OBSERVER must be 1, true, 0 or false, got "yes"',
    );
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      PORT: '9000',
      HOST: '0.0.0.0',
      TRACE: 'a.bin',
      DATA_DIR: '/tmp/d',
      EMBED_ORIGINS: 'https://ide.example',
    };
    expect(parseServerConfig([], env)).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      tracePath: 'a.bin',
      traceIsDefault: false,
      dataDir: '/tmp/d',
      embedOrigins: ['https://ide.example'],
    });
    expect(
      parseServerConfig(
        [
          '--port',
          '9100',
          '--trace',
          'b.bin',
          '--embed-origins',
          'http://localhost:5173, https://x.test',
        ],
        env,
      ),
    ).toMatchObject({
      port: 9100,
      tracePath: 'b.bin',
      embedOrigins: ['http://localhost:5173', 'https://x.test'],
    });
  });

  it('answers --help', () => {
    expect(parseServerConfig(['--help'], {})).toBe('help');
  });

  const BAD = [
    { argv: ['--port', 'eighty'], env: {}, error: /--port must be a port number/ },
    { argv: ['--port', '70000'], env: {}, error: /--port/ },
    { argv: [], env: { PORT: '-1' }, error: /PORT must be a port number/ },
    { argv: ['--bogus'], env: {}, error: /Unknown option/ },
    { argv: ['--embed-origins', 'not a url'], env: {}, error: /not an origin/ },
    { argv: ['--embed-origins', 'https://a.test/path'], env: {}, error: /not a bare origin/ },
    { argv: ['stray'], env: {}, error: /positional/ },
  ];
  it.each(BAD)('rejects $argv $env with a clear message', ({ argv, env, error }) => {
    expect(() => parseServerConfig(argv, env)).toThrow(ConfigError);
    expect(() => parseServerConfig(argv, env)).toThrow(error);
  });
});
