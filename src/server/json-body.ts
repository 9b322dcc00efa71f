// Request bodies: JSON only, nested at most MAX_JSON_DEPTH deep. A body nested thousands deep
// would run validation and error messages out of stack (a 500 with a stack trace in the log); it is
// refused before it is parsed, in one pass over the text. Fastify's own parser then parses it, with
// its guard against __proto__ keys. Bodies of other types answer 415 (Fastify's text/plain parser
// is removed: a text/plain body is not JSON, whatever it holds).
import type { FastifyInstance } from 'fastify';

/** Deeper than any body the API takes (an Alertmanager payload nests 4 deep). */
export const MAX_JSON_DEPTH = 32;

/** Why `text` nests deeper than `maxDepth` objects and arrays, or null. Strings are skipped. */
export function nestingFault(text: string, maxDepth: number): string | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > maxDepth) return `body nests deeper than ${maxDepth} levels`;
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
    }
  }
  return null;
}

export function registerJsonBodyParser(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const fault = nestingFault(text, MAX_JSON_DEPTH);
    if (fault) {
      done(Object.assign(new Error(fault), { statusCode: 400 }), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
