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

// The 3-D view's shaders are GLSL ES 3.00: attributes are the vertex stage's `in`, varyings its
// `out` and the fragment stage's `in`, and the fragment stage writes one `out` colour.
describe('spin-arrow shaders', () => {
  const vert = readFileSync('shaders/spin-arrows.vert', 'utf8');
  const frag = readFileSync('shaders/spin-arrows.frag', 'utf8');
  const view = readFileSync('src/render/spin-view-3d.ts', 'utf8');
  /** Names of the `kind` declarations, an interpolation qualifier (flat, smooth) allowed before. */
  const storage = (source: string, kind: 'in' | 'out' | 'uniform'): string[] => {
    const pattern = new RegExp(`^\\s*(?:flat\\s+|smooth\\s+)?${kind}\\s+\\w+\\s+(\\w+)\\s*;`, 'gm');
    return [...source.matchAll(pattern)].map((m) => m[1]!).sort();
  };
  const supplied = [
    ...(view.match(/SPIN_ARROW_UNIFORMS = \[([^\]]*)\]/)?.[1] ?? '').matchAll(/'(\w+)'/g),
  ]
    .map((m) => m[1]!)
    .sort();

  it('declare the uniforms the material supplies, each once', () => {
    const declared = [...new Set([...storage(vert, 'uniform'), ...storage(frag, 'uniform')])];
    expect(declared.sort()).toEqual(supplied);
    expect(supplied.length).toBeGreaterThan(0);
  });

  it('share each uniform both stages declare with the same type', () => {
    const types = (source: string) =>
      new Map([...source.matchAll(/^\s*uniform\s+(\w+)\s+(\w+)\s*;/gm)].map((m) => [m[2]!, m[1]!]));
    const inVert = types(vert);
    for (const [name, type] of types(frag)) {
      if (inVert.has(name)) expect(inVert.get(name), name).toBe(type);
    }
  });

  it('take no vertex attributes: every vertex comes from gl_VertexID', () => {
    expect(storage(vert, 'in')).toEqual([]);
    expect(vert).toMatch(/gl_VertexID/);
  });

  it('pass the same varyings from vertex to fragment stage', () => {
    expect(storage(frag, 'in')).toEqual(storage(vert, 'out'));
    expect(storage(vert, 'out').length).toBeGreaterThan(0);
  });

  it('name each uniform, varying and output with its prefix and a unit comment', () => {
    const checks: [string, RegExp, string][] = [
      [vert, /^\s*uniform\s+\w+\s+(\w+)\s*;(.*)$/, 'u_'],
      [frag, /^\s*uniform\s+\w+\s+(\w+)\s*;(.*)$/, 'u_'],
      [vert, /^\s*(?:flat\s+)?out\s+\w+\s+(\w+)\s*;(.*)$/, 'v_'],
      [frag, /^\s*(?:flat\s+)?in\s+\w+\s+(\w+)\s*;(.*)$/, 'v_'],
      [frag, /^\s*out\s+\w+\s+(\w+)\s*;(.*)$/, 'o_'],
    ];
    let seen = 0;
    for (const [source, pattern, prefix] of checks) {
      for (const line of source.split('\n')) {
        const m = line.match(pattern);
        if (!m) continue;
        seen += 1;
        expect(m[1]!.startsWith(prefix), m[1]).toBe(true);
        expect(m[2]!.trim().startsWith('//'), `${m[1]} has no comment`).toBe(true);
      }
    }
    expect(seen).toBeGreaterThanOrEqual(supplied.length + 3);
  });
});
