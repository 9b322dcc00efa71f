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

  it('accepts IDE webview origins beside https ones, as docs/EMBED.md shows', () => {
    expect(
      parseServerConfig(['--embed-origins', 'https://ide.example.com,vscode-webview://abc'], {}),
    ).toMatchObject({ embedOrigins: ['https://ide.example.com', 'vscode-webview://abc'] });
  });

  it('reads the host names and the two switches that open routes, refusing them by default', () => {
    expect(parseServerConfig([], {})).toMatchObject({
      allowedHosts: [],
      alertmanagerAnonymous: false,
      metricsAnonymous: false,
    });
    expect(
      parseServerConfig(['--allowed-hosts', 'Console.Example.com, .ops.example'], {
        ALERTMANAGER_ANONYMOUS: '1',
        METRICS_ANONYMOUS: 'true',
      }),
    ).toMatchObject({
      allowedHosts: ['console.example.com', '.ops.example'],
      alertmanagerAnonymous: true,
      metricsAnonymous: true,
    });
    expect(
      parseServerConfig(['--alertmanager-anonymous', '--metrics-anonymous'], {}),
    ).toMatchObject({ alertmanagerAnonymous: true, metricsAnonymous: true });
  });

  it('reads the RCA endpoint from the flag or RCA_ENDPOINT, refusing credentials in it', () => {
    expect(parseServerConfig([], {})).toMatchObject({ rcaEndpoint: null });
    expect(
      parseServerConfig(['--rca-endpoint', 'http://127.0.0.1:8081'], {
        RCA_ENDPOINT: 'http://other:1',
      }),
    ).toMatchObject({ rcaEndpoint: 'http://127.0.0.1:8081' });
    expect(
      parseServerConfig([], { RCA_ENDPOINT: 'https://llm.example/v1/chat/completions' }),
    ).toMatchObject({
      rcaEndpoint: 'https://llm.example/v1/chat/completions',
    });
    expect(() => parseServerConfig(['--rca-endpoint', 'http://me:key@llm:8080'], {})).toThrow(
      /must not carry credentials: put the key in RCA_API_KEY/,
    );
    expect(() => parseServerConfig([], { RCA_ENDPOINT: 'ftp://llm' })).toThrow(
      /RCA_ENDPOINT must be an http or https URL/,
    );
    expect(() => parseServerConfig(['--rca-endpoint', 'not a url'], {})).toThrow(
      /--rca-endpoint: "not a url" is not a URL/,
    );
  });

  it('reads the cluster database from --database or DATABASE_URL; none means SQLite', () => {
    expect(parseServerConfig([], {})).toMatchObject({ databaseUrl: null });
    expect(parseServerConfig([], { DATABASE_URL: '' })).toMatchObject({ databaseUrl: null });
    expect(
      parseServerConfig([], { DATABASE_URL: 'postgres://console@db.internal:5432/console' }),
    ).toMatchObject({ databaseUrl: 'postgres://console@db.internal:5432/console' });
    expect(
      parseServerConfig(['--database', 'postgresql://a@h/b'], { DATABASE_URL: 'postgres://x@y/z' }),
    ).toMatchObject({ databaseUrl: 'postgresql://a@h/b' });
  });

  it('never repeats a bad database URL, which may carry a password', () => {
    expect(() => parseServerConfig(['--database', 'mysql://root:hunter2@db/console'], {})).toThrow(
      /--database must be a postgres:\/\/ URL, got the scheme "mysql"/,
    );
    expect(() => parseServerConfig([], { DATABASE_URL: 'hunter2 not a url' })).toThrow(
      /^(?!.*hunter2).*DATABASE_URL is not a URL like postgres:/s,
    );
  });

  it('runs alone without NATS, and takes a role and NATS servers from flags or the environment', () => {
    expect(parseServerConfig([], {})).toMatchObject({ role: 'all', natsServers: [] });
    expect(
      parseServerConfig(['--role', 'gateway', '--nats', 'nats://a:4222, nats://b:4222'], {}),
    ).toMatchObject({ role: 'gateway', natsServers: ['nats://a:4222', 'nats://b:4222'] });
    expect(
      parseServerConfig(['--role', 'source'], { ROLE: 'gateway', NATS_URL: 'nats://n:4222' }),
    ).toMatchObject({ role: 'source', natsServers: ['nats://n:4222'] });
    expect(parseServerConfig([], {})).toMatchObject({ sourceShard: { index: 0, count: 1 } });
    expect(parseServerConfig(['--source-shard', '1/4'], {})).toMatchObject({
      sourceShard: { index: 1, count: 4 },
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
    { argv: ['--embed-origins', 'vscode-webview://abc/x'], env: {}, error: /not a bare origin/ },
    { argv: ['--allowed-hosts', 'evil.example/x'], env: {}, error: /not a host name/ },
    {
      argv: [],
      env: { METRICS_ANONYMOUS: 'yes' },
      error: /METRICS_ANONYMOUS must be 1, true, 0 or false/,
    },
    { argv: ['--role', 'edge'], env: {}, error: /--role must be all, source or gateway/ },
    {
      argv: ['--source-shard', '2/2'],
      env: {},
      error: /--source-shard must be K\/N with 0 <= K < N/,
    },
    { argv: [], env: { SOURCE_SHARD: 'a/b' }, error: /SOURCE_SHARD must be K\/N/ },
    { argv: [], env: { ROLE: 'gateway' }, error: /--role gateway needs --nats URL/ },
    {
      argv: ['--nats', 'http://x:4222'],
      env: {},
      error: /--nats: "http:\/\/x:4222" is not a NATS URL/,
    },
    { argv: [], env: { NATS_URL: 'nats//x' }, error: /NATS_URL: "nats\/\/x" is not a NATS URL/ },
  ];
  it.each(BAD)('rejects $argv $env with a clear message', ({ argv, env, error }) => {
    expect(() => parseServerConfig(argv, env)).toThrow(ConfigError);
    expect(() => parseServerConfig(argv, env)).toThrow(error);
  });
});
