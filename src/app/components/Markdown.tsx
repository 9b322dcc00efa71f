import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

/**
 * Markdown as React elements: raw HTML in the text is never rendered (react-markdown escapes it
 * without rehype-raw) and link URLs pass react-markdown's safe-protocol filter, so an RCA quoting
 * a hostile log line shows the line, not its markup.
 */
export default function Markdown({ text, testId }: { text: string; testId?: string }) {
  return (
    <div className="markdown" data-testid={testId}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml>
        {text}
      </ReactMarkdown>
    </div>
  );
}
