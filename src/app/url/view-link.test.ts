import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../state/params';
import { createUiStore } from '../state/ui-store';
import { exactViewUrl } from './view-link';

const stream = {
  tenant: 'demo',
  width: 120,
  height: 100,
  frameCount: 1200,
  intervalUs: 16_667,
  source: 'replay' as const,
};

describe('exact view link', () => {
  it('names the frame on screen of a playing replay, and drops embed and any token', () => {
    const ui = createUiStore({ ...DEFAULT_PARAMS, tenant: 'demo', range: '24h' }, []);
    ui.setState({ stream });
    const url = new URL(
      exactViewUrl(ui.getState(), 'http://c.example/?embed=1&token=secret&tenant=demo', 741),
    );
    expect(url.searchParams.get('frame')).toBe('741');
    expect(url.searchParams.get('tenant')).toBe('demo');
    expect(url.searchParams.get('range')).toBe('24h');
    expect(url.searchParams.has('embed')).toBe(false);
    expect(url.searchParams.has('token')).toBe(false);
  });

  it('gives a live source no frame: there is nothing to go back to', () => {
    const ui = createUiStore({ ...DEFAULT_PARAMS, tenant: 'live' }, []);
    ui.setState({ stream: { ...stream, tenant: 'live', source: 'live', frameCount: 0 } });
    const url = new URL(exactViewUrl(ui.getState(), 'http://c.example/?tenant=live', 99));
    expect(url.searchParams.has('frame')).toBe(false);
  });
});
