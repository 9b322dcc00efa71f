import { describe, expect, it } from 'vitest';
import { exportFileName, toCsv } from './csv';

describe('panel CSV', () => {
  it('writes RFC 4180: quotes what needs quoting, empties nulls, CRLF lines', () => {
    const csv = toCsv({
      columns: ['time', 'title', 'value'],
      rows: [
        ['2026-03-01T12:00:00.000Z', 'plain', 1.5],
        ['2026-03-01T12:00:01.000Z', 'a "quoted", line\nbreak', null],
      ],
    });
    expect(csv).toBe(
      'time,title,value\r\n' +
        '2026-03-01T12:00:00.000Z,plain,1.5\r\n' +
        '2026-03-01T12:00:01.000Z,"a ""quoted"", line\nbreak",\r\n',
    );
  });

  it('never hands a spreadsheet a formula from a ticket title', () => {
    expect(toCsv({ columns: ['title'], rows: [['=HYPERLINK("x")'], ['+1'], ['@a'], [-3]] })).toBe(
      'title\r\n"\'=HYPERLINK(""x"")"\r\n\'+1\r\n\'@a\r\n-3\r\n',
    );
  });

  it('names the file by tenant, what and when, without characters file systems refuse', () => {
    expect(exportFileName('demo', 'latency', 'csv', Date.UTC(2026, 2, 1, 12, 0, 5, 123))).toBe(
      'phase-console-demo-latency-2026-03-01T12-00-05Z.csv',
    );
  });
});
