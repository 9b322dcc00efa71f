import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from './progress';

function captureStream(isTTY: boolean): {
  stream: Writable & { isTTY: boolean };
  text: () => string;
} {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    }),
    { isTTY },
  );
  return { stream, text: () => chunks.join('') };
}

describe('createProgress off a terminal', () => {
  it('prints a plain line at 0 % and every further 10 %, not on every update', () => {
    const { stream, text } = captureStream(false);
    const progress = createProgress('gen', 200, { stream });
    for (let done = 0; done <= 200; done++) progress.update(done);
    progress.stop();
    const lines = text().trimEnd().split('\n');
    expect(lines).toEqual([
      'gen: 0% (0/200)',
      ...Array.from({ length: 10 }, (_, i) => `gen: ${(i + 1) * 10}% (${(i + 1) * 20}/200)`),
    ]);
  });

  it('ends on where it stopped when stopped early', () => {
    const { stream, text } = captureStream(false);
    const progress = createProgress('gen', 100, { stream });
    progress.update(35);
    progress.update(38);
    progress.stop();
    expect(text()).toBe('gen: 35% (35/100)\ngen: 38% (38/100)\n');
  });
});

describe('createProgress on a terminal', () => {
  it('draws a bar with the label and the count', () => {
    const { stream, text } = captureStream(true);
    const progress = createProgress('gen', 50, { stream });
    progress.update(50);
    progress.stop();
    expect(text()).toMatch(/gen \[[^\]]*\] 100% \| 50\/50/);
  });
});
