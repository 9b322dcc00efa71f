// A plain-socket HTTP/1.1 request for bodies the server may refuse before reading them all.
import net from 'node:net';

export interface RawHttpRequest {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * A request whose body the server may refuse (413) before reading it all, hanging up under the
 * upload: fetch and node:http report that as a failure, so this speaks HTTP/1.1 on a plain socket,
 * keeps whatever answer arrived, and fails only when none did.
 */
export function requestLarge(
  url: string,
  c: RawHttpRequest,
): Promise<{ status: number; text(): Promise<string> }> {
  const { hostname, port, pathname, search } = new URL(url);
  const body = typeof c.body === 'string' ? Buffer.from(c.body) : Buffer.from(c.body ?? []);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('no answer within 10 s')), 10_000);
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(raw);
      if (!status) {
        reject(error ?? new Error(`no HTTP answer: ${JSON.stringify(raw.slice(0, 80))}`));
        return;
      }
      let text = raw.slice(raw.indexOf('\r\n\r\n') + 4);
      if (/\r\ntransfer-encoding: chunked/i.test(raw)) {
        text = text.replace(/(^|\r\n)[0-9a-f]+\r\n/gi, '');
      }
      resolve({ status: Number(status[1]), text: async () => text });
    };
    let failure: Error | undefined;
    // Keep-alive, so that the server reads and discards the rest of a body it refused rather
    // than closing under the upload (which resets the connection and can lose its answer).
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const raw = Buffer.concat(chunks);
      const head = raw.indexOf('\r\n\r\n');
      if (head < 0) return;
      const headers = raw.subarray(0, head).toString('latin1');
      const length = /\r\ncontent-length: *(\d+)/i.exec(headers);
      const complete = length
        ? raw.length - head - 4 >= Number(length[1])
        : raw.subarray(head).includes('\r\n0\r\n\r\n');
      if (complete) socket.destroy();
    });
    socket.on('error', (error) => (failure = error));
    socket.on('close', () => finish(failure));
    socket.on('connect', () => {
      const headers = Object.entries({
        host: `${hostname}:${port}`,
        'content-length': String(body.length),
        ...c.headers,
      })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.write(`${c.method} ${pathname}${search} HTTP/1.1\r\n${headers}\r\n`);
      socket.write(body);
    });
  });
}
