import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../state/params';
import { parseAppParams } from './params';

describe('parseAppParams', () => {
  const VALID = [
    { name: 'empty query gives the defaults', search: '', expected: {} },
    { name: 'tenant id', search: '?tenant=demo-2', expected: { tenant: 'demo-2' } },
    { name: 'gpu threshold', search: '?gpuThreshold=20000', expected: { gpuThreshold: 20000 } },
    {
      name: 'threshold zero means always GPU',
      search: '?gpuThreshold=0',
      expected: { gpuThreshold: 0 },
    },
    { name: 'forced cpu renderer', search: '?renderer=cpu', expected: { renderer: 'cpu' } },
    { name: 'embed', search: '?embed=1', expected: { embed: true } },
    {
      name: 'frame and speed',
      search: '?frame=42&speed=0.25',
      expected: { frame: 42, speed: 0.25 },
    },
    { name: 'colormap', search: '?colormap=twilight', expected: { colormap: 'twilight' } },
    { name: 'theme', search: '?theme=light', expected: { theme: 'light' } },
    {
      name: 'zoom and centre',
      search: '?zoom=4,30,20.5',
      expected: { zoom: { zoom: 4, centerXCells: 30, centerYCells: 20.5 } },
    },
    { name: 'relative mode', search: '?relative=1', expected: { relative: true } },
    { name: '3-D view', search: '?view=3d', expected: { view: '3d' } },
    { name: 'heatmap view', search: '?view=heatmap', expected: { view: 'heatmap' } },
    {
      name: 'policy view',
      search: '?view=policy&tenant=demo',
      expected: { view: 'policy', tenant: 'demo' },
    },
    {
      name: "the Grafana dashboard's MTTR link",
      search: '?view=tickets&tenant=demo&severity=error&window=24h&status=resolved',
      expected: {
        view: 'tickets',
        tenant: 'demo',
        // The list's window is the shared time range: the panels show the same 24 h.
        range: '24h',
        tickets: {
          ...DEFAULT_PARAMS.tickets,
          severity: ['error'],
          window: '24h',
          status: ['resolved'],
        },
      },
    },
    {
      name: 'one ticket, which opens the tickets view',
      search: '?ticket=42',
      expected: { view: 'tickets', ticket: 42 },
    },
  ];
  it.each(VALID)('accepts $name', ({ search, expected }) => {
    const { params, notices } = parseAppParams(search);
    expect(notices).toEqual([]);
    expect(params).toEqual({ ...DEFAULT_PARAMS, ...expected });
  });

  const INVALID = [
    { search: '?gpuThreshold=-5', param: 'gpuThreshold' },
    { search: '?gpuThreshold=lots', param: 'gpuThreshold' },
    { search: '?gpuThreshold=99999999999', param: 'gpuThreshold' },
    { search: '?renderer=vulkan', param: 'renderer' },
    { search: '?speed=100', param: 'speed' },
    { search: '?speed=NaN', param: 'speed' },
    { search: '?frame=-1', param: 'frame' },
    { search: '?colormap=jet', param: 'colormap' },
    { search: '?theme=blue', param: 'theme' },
    { search: '?tenant=%27%3B%20DROP%20TABLE', param: 'tenant' },
    { search: '?embed=yes', param: 'embed' },
    { search: '?view=3D', param: 'view' },
    { search: '?view=vr', param: 'view' },
    { search: '?ticket=0', param: 'ticket' },
    { search: '?ticket=abc', param: 'ticket' },
    { search: '?severity=page', param: 'severity' },
    { search: '?window=2w', param: 'window' },
    { search: '?bogus=1', param: 'bogus' },
    { search: '?zoom=500,1,1', param: 'zoom' },
    { search: '?relative=yes', param: 'relative' },
  ];
  it.each(INVALID)('falls back to the default with a notice for $search', ({ search, param }) => {
    const { params, notices } = parseAppParams(search);
    expect(params).toEqual(DEFAULT_PARAMS);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.param).toBe(param);
    expect(notices[0]!.message).toContain(param);
  });

  it('keeps valid parameters when another is bad', () => {
    const { params, notices } = parseAppParams('?renderer=cpu&speed=oops');
    expect(params.renderer).toBe('cpu');
    expect(params.speed).toBe(1);
    expect(notices.map((n) => n.param)).toEqual(['speed']);
  });
});
