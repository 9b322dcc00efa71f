// The uniforms and attributes a shader declares must be exactly those its command supplies.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

function declared(source: string, kind: 'uniform' | 'attribute' | 'varying'): string[] {
  const pattern = new RegExp(`^\\s*${kind}\\s+\\w+\\s+(\\w+)\\s*;`, 'gm');
  return [...source.matchAll(pattern)].map((m) => m[1]!).sort();
}

describe('heatmap shaders', () => {
  const vert = readFileSync('shaders/heatmap.vert', 'utf8');
  const frag = readFileSync('shaders/heatmap.frag', 'utf8');
  const command = readFileSync('src/render/regl-heatmap.ts', 'utf8');
  const listed = (name: string): string[] => {
    const match = command.match(new RegExp(`${name} = \\[([^\\]]*)\\]`));
    return [...(match?.[1] ?? '').matchAll(/'(\w+)'/g)].map((m) => m[1]!).sort();
  };

  it('declare the uniforms the regl command supplies', () => {
    expect([...declared(vert, 'uniform'), ...declared(frag, 'uniform')].sort()).toEqual(
      listed('HEATMAP_UNIFORMS'),
    );
  });

  it('declare the attributes the regl command supplies', () => {
    expect(declared(vert, 'attribute')).toEqual(listed('HEATMAP_ATTRIBUTES'));
  });

  it('pass the same varyings from vertex to fragment stage', () => {
    expect(declared(frag, 'varying')).toEqual(declared(vert, 'varying'));
  });

  it('name each attribute, uniform and varying with its prefix and a unit comment', () => {
    for (const source of [vert, frag]) {
      for (const line of source.split('\n')) {
        const m = line.match(/^\s*(uniform|attribute|varying)\s+\w+\s+(\w+)\s*;(.*)$/);
        if (!m) continue;
        const prefix = { uniform: 'u_', attribute: 'a_', varying: 'v_' }[m[1] as 'uniform'];
        expect(m[2]!.startsWith(prefix)).toBe(true);
        expect(m[3]!.trim().startsWith('//')).toBe(true);
      }
    }
  });
});
