import { describe, expect, it } from 'vitest';
import type { ViewMode } from '../state/params';
import { createUiStore } from '../state/ui-store';
import { parseAppParams } from './params';
import { viewQuery } from './sync';

function roundTrip(search: string, view?: ViewMode): string {
  const { params, notices } = parseAppParams(search);
  const state = createUiStore(params, notices).getState();
  const shown = view === undefined ? state : { ...state, params: { ...state.params, view } };
  return viewQuery(shown, new URLSearchParams(search)).toString();
}

describe('viewQuery', () => {
  it.each([
    {
      name: 'keeps the ticket list and its filters',
      search: 'view=tickets&tenant=demo&severity=error&window=24h&status=resolved',
      expected: 'view=tickets&tenant=demo&severity=error&window=24h&status=resolved',
    },
    {
      name: 'keeps one ticket',
      search: 'ticket=9&tenant=demo',
      expected: 'ticket=9&tenant=demo&view=tickets',
    },
    {
      name: 'drops ticket filters outside the tickets view',
      search: 'view=3d&severity=error&ticket=',
      expected: 'view=3d',
    },
    { name: 'drops the default view', search: 'view=heatmap&theme=light', expected: 'theme=light' },
  ])('$name', ({ search, expected }) => {
    expect(roundTrip(search)).toBe(expected);
  });

  it.each([
    {
      name: 'adds view=3d and keeps the other parameters',
      search: 'tenant=demo&theme=light',
      view: '3d' as const,
      expected: 'tenant=demo&theme=light&view=3d',
    },
    {
      name: 'replaces an existing view',
      search: 'view=heatmap',
      view: '3d' as const,
      expected: 'view=3d',
    },
    {
      name: 'drops the parameter for the default heatmap',
      search: 'view=3d&theme=light',
      view: 'heatmap' as const,
      expected: 'theme=light',
    },
  ])('follows a switch of view: $name', ({ search, view, expected }) => {
    expect(roundTrip(search, view)).toBe(expected);
    expect(parseAppParams(expected).params.view).toBe(view);
  });
});
