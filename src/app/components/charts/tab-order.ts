// Chart internals are no tab stops. recharts draws its layers into <g> elements that React uses as
// portal containers, and React listens for focus events on every portal container; Chromium makes
// an SVG element with focus listeners focusable, so each layer became an unnamed tab stop. They get
// tabindex="-1": no listener is lost, and Tab goes past them.
import { useCallback, useRef } from 'react';

function mark(root: Element): void {
  for (const g of root.querySelectorAll('svg g:not([tabindex])')) g.setAttribute('tabindex', '-1');
}

/** A ref for the element around a chart: it keeps the chart's layers out of the tab order. */
export function useChartOutOfTabOrder(): (element: HTMLElement | null) => void {
  const observer = useRef<MutationObserver | null>(null);
  return useCallback((element: HTMLElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!element) return;
    mark(element);
    observer.current = new MutationObserver(() => mark(element));
    observer.current.observe(element, { childList: true, subtree: true });
  }, []);
}
