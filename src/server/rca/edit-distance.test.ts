import { describe, expect, it } from 'vitest';
import { editDistanceRatio, wordEditDistance } from './edit-distance';

describe('word-level edit distance', () => {
  it('counts inserted, deleted and replaced words', () => {
    expect(wordEditDistance(['a', 'b', 'c'], ['a', 'b', 'c'])).toBe(0);
    expect(wordEditDistance(['a', 'b', 'c'], ['a', 'x', 'c'])).toBe(1);
    expect(wordEditDistance(['a', 'b', 'c'], ['a', 'c'])).toBe(1);
    expect(wordEditDistance([], ['a', 'b'])).toBe(2);
    expect(wordEditDistance(['kitten', 'sat'], ['sitting', 'sat', 'down'])).toBe(2);
  });

  it('is a ratio of the longer text: 0 as drafted, 1 when nothing survived', () => {
    expect(editDistanceRatio('the disk  stalled\n', 'the disk stalled')).toBe(0);
    expect(editDistanceRatio('one two three four', 'one two three five')).toBe(0.25);
    expect(editDistanceRatio('a b', 'c d e f')).toBe(1);
    expect(editDistanceRatio('', '')).toBe(0);
  });
});
