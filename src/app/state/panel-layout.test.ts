import { describe, expect, it } from 'vitest';
import { movePanel, normalizePanelLayout, togglePanel, type PanelDefaults } from './panel-layout';

const defaults: PanelDefaults = {
  ids: ['mttr', 'latency', 'bandwidth', 'performance'],
  collapsed: ['performance'],
};

describe('panel layout', () => {
  it('is the default order and collapsed set when nothing (or garbage) was stored', () => {
    const expected = { order: defaults.ids, collapsed: ['performance'] };
    expect(normalizePanelLayout(null, defaults)).toEqual(expected);
    expect(normalizePanelLayout('{"order":', defaults)).toEqual(expected);
    expect(normalizePanelLayout({ order: 'x', collapsed: 7 }, defaults)).toEqual(expected);
  });

  it('keeps a stored order, drops unknown and repeated ids, and puts new panels in place', () => {
    const stored = {
      order: ['bandwidth', 'gone', 'mttr', 'bandwidth'],
      collapsed: ['gone', 'mttr'],
    };
    // A panel new to this browser goes right after the one before it in the default order:
    // latency after mttr, performance after bandwidth.
    expect(normalizePanelLayout(stored, defaults)).toEqual({
      order: ['bandwidth', 'performance', 'mttr', 'latency'],
      collapsed: ['mttr'],
    });
  });

  it('moves a panel one place and stops at the ends', () => {
    const layout = normalizePanelLayout(null, defaults);
    expect(movePanel(layout, 'latency', -1).order).toEqual([
      'latency',
      'mttr',
      'bandwidth',
      'performance',
    ]);
    expect(movePanel(layout, 'mttr', -1)).toBe(layout);
    expect(movePanel(layout, 'performance', 1)).toBe(layout);
    expect(movePanel(layout, 'nope', 1)).toBe(layout);
  });

  it('collapses and opens a panel', () => {
    const layout = normalizePanelLayout(null, defaults);
    expect(togglePanel(layout, 'mttr').collapsed).toEqual(['performance', 'mttr']);
    expect(togglePanel(layout, 'performance').collapsed).toEqual([]);
  });
});
