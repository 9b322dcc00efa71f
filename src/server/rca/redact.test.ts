import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('takes out what a credential looks like, wherever it is in a line', () => {
    const token = 'Zx9_aB3-kLmN0pQrStUvWxYz0123456789AbCdEfG';
    const cases: [string, string][] = [
      [`Authorization: Bearer ${token}`, `Authorization: Bearer ${REDACTED}`],
      [`offered phase.v1, bearer.${token}`, `offered phase.v1, bearer.${REDACTED}`],
      ['POST https://ops:hunter2@hooks.example/x', `POST https://${REDACTED}@hooks.example/x`],
      ['GET /x?tenant=demo&token=abc123', `GET /x?tenant=demo&token=${REDACTED}`],
      ['{"routing_key":"R0UT1NG","x":1}', `{"routing_key":"${REDACTED}","x":1}`],
      [
        'slack https://hooks.slack.com/services/T000/B000/XXXX failed',
        `slack https://hooks.slack.com/services/${REDACTED} failed`,
      ],
      [`a bare token ${token} in text`, `a bare token ${REDACTED} in text`],
    ];
    for (const [line, expected] of cases) expect(redactSecrets(line), line).toBe(expected);
  });

  it('takes out known secrets and leaves ordinary words, paths and ids readable', () => {
    expect(redactSecrets('the key is s3cret-value!', ['s3cret-value!'])).toBe(
      `the key is ${REDACTED}`,
    );
    const plain =
      '[trace] /srv/traces/12k_spin_trace.bin: frame 512: CRC mismatch; tok_0123456789abcdef revoked';
    expect(redactSecrets(plain)).toBe(plain);
    expect(redactSecrets('averyveryverylongtenantnamewithoutdigitsatall')).toBe(
      'averyveryverylongtenantnamewithoutdigitsatall',
    );
  });
});
