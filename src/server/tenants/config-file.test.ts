import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { loadTenantsFile } from './config-file';

function file(content: string): string {
  const f = path.join(tempDir('tenants-file'), 'tenants.json');
  writeFileSync(f, content);
  return f;
}

describe('the tenants config file', () => {
  it('declares tenants, resolving relative traces against its own directory', () => {
    const f = file(
      JSON.stringify({
        tenants: [
          {
            id: 'a',
            name: 'A',
            visibility: 'public',
            source: { kind: 'replay', trace: 't/a.bin' },
          },
          { id: 'b', source: { kind: 'live', width: 8, height: 8, seed: 3 }, sloMs: 12 },
        ],
      }),
    );
    const specs = loadTenantsFile(f);
    expect(specs.map((s) => s.id)).toEqual(['a', 'b']);
    expect(specs[0]!.source).toEqual({
      kind: 'replay',
      trace: path.join(path.dirname(f), 't/a.bin'),
    });
    expect(specs[1]).toMatchObject({ visibility: 'private', sloMs: 12 });
  });

  const BAD = [
    { name: 'invalid JSON', content: '{"tenants": [', error: 'not valid JSON' },
    { name: 'an array at the top', content: '[]', error: 'must be an object {"tenants": [...]}' },
    {
      name: 'an unknown top-level field',
      content: '{"tenant": []}',
      error: 'unknown field "tenant"',
    },
    { name: 'no tenants', content: '{"tenants": []}', error: 'at least one tenant' },
    {
      name: 'a bad field deep inside',
      content: JSON.stringify({
        tenants: [
          { id: 'a', source: { kind: 'replay', trace: 'x' } },
          { id: 'b', source: { kind: 'live', width: 'wide', height: 8 } },
        ],
      }),
      error: 'tenants[1].source.width must be an integer',
    },
    {
      name: 'a duplicate id',
      content: JSON.stringify({
        tenants: [
          { id: 'a', source: { kind: 'replay', trace: 'x' } },
          { id: 'a', source: { kind: 'replay', trace: 'y' } },
        ],
      }),
      error: 'tenants[1].id "a" is declared twice',
    },
  ];
  it.each(BAD)('rejects $name with the file and the field in the message', ({ content, error }) => {
    const f = file(content);
    expect(() => loadTenantsFile(f)).toThrow(f);
    expect(() => loadTenantsFile(f)).toThrow(error);
  });

  it('says when the file cannot be read', () => {
    expect(() => loadTenantsFile('/nonexistent/tenants.json')).toThrow(
      '/nonexistent/tenants.json: cannot read (ENOENT)',
    );
  });
});
