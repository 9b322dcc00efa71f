// What the panels' charts share: the time range (state/time-range.ts) as from-to times, and the
// tenant's tickets opened in it, drawn as annotations.
import { useQuery } from '@tanstack/react-query';
import type { Ticket } from '../../../core/api/tickets';
import { useApi, useUi } from '../../shell/hooks';
import { rangeSeconds } from '../../state/time-range';
import { annotationTicketsQuery } from '../../tickets/queries';

export interface TimeRangeNow {
  range: string;
  seconds: number;
  fromMs: number;
  toMs: number;
}

/** The shared range ending now (the panels re-render with their data, so it slides along). */
export function useTimeRange(): TimeRangeNow {
  const range = useUi((s) => s.params.range);
  const seconds = rangeSeconds(range);
  const toMs = Date.now();
  return { range, seconds, fromMs: toMs - seconds * 1000, toMs };
}

/** The streamed tenant, or null before the stream names it. */
export function useStreamTenant(): string | null {
  return useUi((s) => s.stream?.tenant ?? null);
}

const NO_TICKETS: Ticket[] = [];

/** The tenant's tickets opened in the shared range (at most ANNOTATION_LIMIT, newest first). */
export function useRangeTickets(): Ticket[] {
  const tenant = useStreamTenant();
  const range = useUi((s) => s.params.range);
  return useQuery(annotationTicketsQuery(useApi(), tenant, range)).data ?? NO_TICKETS;
}
