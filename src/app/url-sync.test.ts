import { describe, expect, it } from 'vitest';
import { createUiStore } from './state/ui-store';
import { parseAppParams } from './url-params';
import { viewQuery } from './url-sync';

function roundTrip(search: string): string {
  const { params, notices } = parseAppParams(search);
  const state = createUiStore(params, notices).getState();
  return viewQuery(state, new URLSearchParams(search)).toString();
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
});
