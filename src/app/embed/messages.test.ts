import { describe, expect, it } from 'vitest';
import { originAllowed, parseHostMessage } from './messages';

describe('parseHostMessage', () => {
  const VALID = [
    { type: 'setTenant', tenant: 'small' },
    { type: 'setToken', token: 'abcdefghijklmnopqrstuvwxyz012345' },
    { type: 'setToken', token: null },
    { type: 'seek', frame: 42 },
    { type: 'play' },
    { type: 'pause', version: 1 },
    { type: 'setTheme', theme: 'light' },
  ];
  it.each(VALID)('accepts $type', (message) => {
    const parsed = parseHostMessage(message);
    expect('refused' in parsed).toBe(false);
    expect(parsed).toMatchObject({ type: message.type });
  });

  const REFUSED = [
    { data: 'play', reason: /not an object/ },
    { data: null, reason: /not an object/ },
    { data: [1], reason: /not an object/ },
    { data: { type: 'launchMissiles' }, reason: /unknown message type/ },
    { data: {}, reason: /unknown message type/ },
    { data: { type: 'setTenant', tenant: "x'; DROP TABLE tenants" }, reason: /tenant id/ },
    { data: { type: 'setToken', token: 'short' }, reason: /16-256/ },
    { data: { type: 'seek', frame: -1 }, reason: /integer >= 0/ },
    { data: { type: 'seek', frame: '10' }, reason: /integer >= 0/ },
    { data: { type: 'setTheme', theme: 'neon' }, reason: /light/ },
    { data: { type: 'play', version: 2 }, reason: /unsupported version/ },
  ];
  it.each(REFUSED)('refuses $data with a reason', ({ data, reason }) => {
    const parsed = parseHostMessage(data);
    expect(parsed).toEqual({ refused: expect.stringMatching(reason) });
  });
});

describe('originAllowed', () => {
  it.each([
    ['http://app.test', true],
    ['https://ide.example', true],
    ['https://evil.example', false],
    ['null', false],
  ])('%s -> %s', (origin, allowed) => {
    expect(originAllowed(origin, 'http://app.test', ['https://ide.example'])).toBe(allowed);
  });
});
