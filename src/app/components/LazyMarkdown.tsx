import { lazy, Suspense } from 'react';

// The Markdown renderer (react-markdown, remark-gfm) comes in its own chunk, fetched the first
// time an RCA is shown: the first screen (the heatmap) does not download it.
const MarkdownView = lazy(() => import('./Markdown'));

export function Markdown(props: { text: string; testId?: string }) {
  return (
    <Suspense fallback={<p className="muted">Loading the text…</p>}>
      <MarkdownView {...props} />
    </Suspense>
  );
}
