// A raw DEFLATE (RFC 1951) writer for residual planes: dynamic Huffman blocks of literals, with
// long runs of one byte sent as distance-1 matches (zlib's Z_RLE strategy). Residuals are noise
// around zero, where general LZ77 matching only finds short coincidences that cost more bits than
// the literals they replace, and spends most of the encode time looking for them. Any inflate
// decodes the output, so the format stays plain DEFLATE whatever the writer does.

/**
 * Fewer repeats than this after a run's first byte stay literals: a length code plus a distance
 * code costs about 8 bits, more than a few literals of a 1-2 bit residual.
 */
const MIN_RUN_BYTES = 8;
const MAX_MATCH_BYTES = 258;
const END_OF_BLOCK = 256;
const MAX_CODE_BITS = 15;
const MAX_CODE_LENGTH_BITS = 7;
/** Order in which the code-length code's lengths are sent (RFC 1951, 3.2.7). */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

// Length symbol, extra bits and extra value for each match length 3..258 (RFC 1951, 3.2.5).
const LENGTH_SYMBOL = new Uint16Array(MAX_MATCH_BYTES + 1);
const LENGTH_EXTRA_BITS = new Uint8Array(MAX_MATCH_BYTES + 1);
const LENGTH_EXTRA_VALUE = new Uint8Array(MAX_MATCH_BYTES + 1);
{
  const base = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83];
  base.push(99, 115, 131, 163, 195, 227, 258);
  const extra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5];
  extra.push(5, 0);
  for (let code = 0; code < base.length; code++) {
    const first = base[code]!;
    const last = code === base.length - 1 ? 258 : Math.min(257, first + (1 << extra[code]!) - 1);
    for (let length = first; length <= last; length++) {
      LENGTH_SYMBOL[length] = 257 + code;
      LENGTH_EXTRA_BITS[length] = extra[code]!;
      LENGTH_EXTRA_VALUE[length] = length - first;
    }
  }
}

/**
 * Huffman code lengths for `freqs` limited to `maxBits`. Where the optimal code is deeper, the
 * frequencies are halved (keeping every used symbol at >= 1) until it fits: only very skewed
 * blocks need it, and then the loss is a fraction of a bit on the rarest symbols. At least two
 * symbols get a code so every code is complete, which strict inflaters require.
 */
export function huffmanLengths(freqs: Uint32Array, maxBits: number, lengths: Uint8Array): void {
  const count = freqs.length;
  const weights = new Float64Array(count);
  let used = 0;
  for (let s = 0; s < count; s++) {
    weights[s] = freqs[s]!;
    if (freqs[s]! > 0) used++;
  }
  for (let s = 0; used < 2 && s < count; s++) {
    if (weights[s] === 0) {
      weights[s] = 1;
      used++;
    }
  }
  for (;;) {
    buildLengths(weights, lengths);
    let deepest = 0;
    for (let s = 0; s < count; s++) deepest = Math.max(deepest, lengths[s]!);
    if (deepest <= maxBits) return;
    for (let s = 0; s < count; s++) {
      if (weights[s]! > 0) weights[s] = Math.max(1, Math.floor(weights[s]! / 2));
    }
  }
}

/** Plain Huffman by the two-queue method over symbols sorted by weight. */
function buildLengths(weights: Float64Array, lengths: Uint8Array): void {
  const symbols: number[] = [];
  for (let s = 0; s < weights.length; s++) if (weights[s]! > 0) symbols.push(s);
  symbols.sort((a, b) => weights[a]! - weights[b]! || a - b);
  const leaves = symbols.length;
  // Nodes 0..leaves-1 are the sorted leaves; internal nodes follow in creation order.
  const nodeWeight = new Float64Array(2 * leaves);
  const parent = new Int32Array(2 * leaves);
  for (let k = 0; k < leaves; k++) nodeWeight[k] = weights[symbols[k]!]!;
  let nextLeaf = 0;
  let nextInternal = leaves;
  let created = leaves;
  const takeLightest = (): number => {
    if (
      nextLeaf < leaves &&
      (nextInternal >= created || nodeWeight[nextLeaf]! <= nodeWeight[nextInternal]!)
    ) {
      return nextLeaf++;
    }
    return nextInternal++;
  };
  while (created < 2 * leaves - 1) {
    const a = takeLightest();
    const b = takeLightest();
    nodeWeight[created] = nodeWeight[a]! + nodeWeight[b]!;
    parent[a] = created;
    parent[b] = created;
    created++;
  }
  lengths.fill(0);
  const depth = new Int32Array(created);
  for (let node = created - 2; node >= 0; node--) depth[node] = depth[parent[node]!]! + 1;
  for (let k = 0; k < leaves; k++) lengths[symbols[k]!] = depth[k]!;
}

/** Canonical codes (RFC 1951, 3.2.2), bit-reversed because DEFLATE packs bits LSB first. */
function canonicalCodes(lengths: Uint8Array, codes: Uint16Array): void {
  const lengthCount = new Uint16Array(MAX_CODE_BITS + 1);
  for (let s = 0; s < lengths.length; s++) lengthCount[lengths[s]!]!++;
  lengthCount[0] = 0;
  const nextCode = new Uint16Array(MAX_CODE_BITS + 2);
  let code = 0;
  for (let bits = 1; bits <= MAX_CODE_BITS; bits++) {
    code = (code + lengthCount[bits - 1]!) << 1;
    nextCode[bits] = code;
  }
  for (let s = 0; s < lengths.length; s++) {
    const bits = lengths[s]!;
    if (bits === 0) continue;
    let c = nextCode[bits]!++;
    let reversed = 0;
    for (let b = 0; b < bits; b++) {
      reversed = (reversed << 1) | (c & 1);
      c >>= 1;
    }
    codes[s] = reversed;
  }
}

export class DeflateWriter {
  /** Tokens of the current block: a literal byte (< 256) or 256 + a match length. */
  private readonly tokens: Uint16Array;
  private out: Uint8Array;
  private bytePos = 0;
  private bitBuffer = 0;
  private bitCount = 0;
  private readonly litFreqs = new Uint32Array(286);
  private readonly litLengths = new Uint8Array(286);
  private readonly litCodes = new Uint16Array(286);
  /** Per symbol: its code in the low 16 bits, its length above. */
  private readonly litCodeBits = new Int32Array(286);

  /** `maxInputBytes`: the largest input this writer will see; scratch is sized once from it. */
  constructor(maxInputBytes: number) {
    this.tokens = new Uint16Array(maxInputBytes);
    this.out = new Uint8Array(0);
  }

  /**
   * Raw DEFLATE of `input`, one block per `blockBytes` bytes (each with its own Huffman code),
   * returned in a new array after `headerBytes` zero bytes for the caller to fill.
   */
  deflate(input: Uint8Array, blockBytes: number, headerBytes: number): Uint8Array {
    if (input.length > this.tokens.length) {
      throw new RangeError(
        `[wire] DeflateWriter: ${input.length} bytes over its ${this.tokens.length}`,
      );
    }
    // Worst case: every byte a 15-bit literal, plus a header of under 400 bytes per block.
    const blocks = Math.max(1, Math.ceil(input.length / blockBytes));
    const worstBytes = headerBytes + Math.ceil((input.length * MAX_CODE_BITS) / 8) + 400 * blocks;
    if (this.out.length < worstBytes) this.out = new Uint8Array(worstBytes);
    this.bytePos = headerBytes;
    this.bitBuffer = 0;
    this.bitCount = 0;
    if (input.length === 0) {
      this.writeBlock(input, true);
    }
    for (let start = 0; start < input.length; start += blockBytes) {
      const end = Math.min(input.length, start + blockBytes);
      this.writeBlock(input.subarray(start, end), end === input.length);
    }
    if (this.bitCount > 0) this.out[this.bytePos++] = this.bitBuffer;
    const payload = this.out.slice(0, this.bytePos);
    payload.fill(0, 0, headerBytes);
    return payload;
  }

  private writeBits(value: number, bits: number): void {
    this.bitBuffer |= value << this.bitCount;
    this.bitCount += bits;
    while (this.bitCount >= 8) {
      this.out[this.bytePos++] = this.bitBuffer;
      this.bitBuffer >>>= 8;
      this.bitCount -= 8;
    }
  }

  private writeBlock(block: Uint8Array, final: boolean): void {
    const tokenCount = this.tokenize(block);
    const { litFreqs, litLengths, litCodes, tokens } = this;
    huffmanLengths(litFreqs, MAX_CODE_BITS, litLengths);
    canonicalCodes(litLengths, litCodes);
    this.writeHeader(final);

    // The hot loop keeps the bit writer in locals: property writes per token cost more than the
    // Huffman lookups. Each symbol's code and length share one table entry: one load a literal.
    const codeBits = this.litCodeBits;
    for (let s = 0; s < codeBits.length; s++) codeBits[s] = litCodes[s]! | (litLengths[s]! << 16);
    const out = this.out;
    let pos = this.bytePos;
    let buffer = this.bitBuffer;
    let count = this.bitCount;
    for (let t = 0; t < tokenCount; t++) {
      const token = tokens[t]!;
      if (token < 256) {
        const entry = codeBits[token]!;
        buffer |= (entry & 0xffff) << count;
        count += entry >>> 16;
      } else {
        const length = token - 256;
        const entry = codeBits[LENGTH_SYMBOL[length]!]!;
        buffer |= (entry & 0xffff) << count;
        count += entry >>> 16;
        if (count >= 16) {
          out[pos++] = buffer;
          out[pos++] = buffer >>> 8;
          buffer >>>= 16;
          count -= 16;
        }
        // Extra length bits, then distance code 0 (distance 1), whose 1-bit code is 0.
        buffer |= LENGTH_EXTRA_VALUE[length]! << count;
        count += LENGTH_EXTRA_BITS[length]! + 1;
      }
      if (count >= 16) {
        out[pos++] = buffer;
        out[pos++] = buffer >>> 8;
        buffer >>>= 16;
        count -= 16;
      }
    }
    this.bytePos = pos;
    this.bitBuffer = buffer;
    this.bitCount = count;
    this.writeBits(litCodes[END_OF_BLOCK]!, litLengths[END_OF_BLOCK]!);
  }

  /** Splits a block into literals and distance-1 runs, counting symbol frequencies. */
  private tokenize(block: Uint8Array): number {
    const { tokens, litFreqs } = this;
    litFreqs.fill(0);
    let count = 0;
    let p = 0;
    while (p < block.length) {
      const value = block[p]!;
      let end = p + 1;
      while (end < block.length && block[end] === value) end++;
      tokens[count++] = value;
      litFreqs[value]!++;
      let run = end - p - 1;
      if (run < MIN_RUN_BYTES) {
        for (; run > 0; run--) tokens[count++] = value;
        litFreqs[value]! += end - p - 1;
      } else {
        while (run > 0) {
          const length = Math.min(run, MAX_MATCH_BYTES);
          // Leave no tail of 1 or 2 bytes that could not be a match of its own.
          const take = run - length > 0 && run - length < 3 ? length - 3 : length;
          tokens[count++] = 256 + take;
          litFreqs[LENGTH_SYMBOL[take]!]!++;
          run -= take;
        }
      }
      p = end;
    }
    litFreqs[END_OF_BLOCK] = 1;
    return count;
  }

  /** Block header: BFINAL, BTYPE = 2, and the code lengths of both alphabets, run-length coded. */
  private writeHeader(final: boolean): void {
    const { litLengths } = this;
    let litCount = 286;
    while (litCount > 257 && litLengths[litCount - 1] === 0) litCount--;
    // Two 1-bit distance codes: a complete code, as strict inflaters want, of which 0 is used.
    const distCount = 2;
    const all = new Uint8Array(litCount + distCount);
    all.set(litLengths.subarray(0, litCount));
    all[litCount] = 1;
    all[litCount + 1] = 1;

    // Run-length code the lengths with symbols 0-15, 16 (repeat previous), 17 and 18 (zeros).
    const symbols: number[] = [];
    const extras: number[] = [];
    for (let i = 0; i < all.length;) {
      const value = all[i]!;
      let run = 1;
      while (i + run < all.length && all[i + run] === value) run++;
      if (value === 0 && run >= 3) {
        const take = Math.min(run, 138);
        if (take >= 11) {
          symbols.push(18);
          extras.push(take - 11);
        } else {
          symbols.push(17);
          extras.push(take - 3);
        }
        i += take;
      } else if (value !== 0 && run >= 4) {
        symbols.push(value);
        extras.push(0);
        const take = Math.min(run - 1, 6);
        symbols.push(16);
        extras.push(take - 3);
        i += 1 + take;
      } else {
        symbols.push(value);
        extras.push(0);
        i++;
      }
    }
    const clFreqs = new Uint32Array(19);
    for (const s of symbols) clFreqs[s]!++;
    const clLengths = new Uint8Array(19);
    huffmanLengths(clFreqs, MAX_CODE_LENGTH_BITS, clLengths);
    const clCodes = new Uint16Array(19);
    canonicalCodes(clLengths, clCodes);
    let clCount = 19;
    while (clCount > 4 && clLengths[CODE_LENGTH_ORDER[clCount - 1]!] === 0) clCount--;

    this.writeBits(final ? 1 : 0, 1);
    this.writeBits(2, 2);
    this.writeBits(litCount - 257, 5);
    this.writeBits(distCount - 1, 5);
    this.writeBits(clCount - 4, 4);
    for (let k = 0; k < clCount; k++) this.writeBits(clLengths[CODE_LENGTH_ORDER[k]!]!, 3);
    for (let k = 0; k < symbols.length; k++) {
      const s = symbols[k]!;
      this.writeBits(clCodes[s]!, clLengths[s]!);
      if (s === 16) this.writeBits(extras[k]!, 2);
      else if (s === 17) this.writeBits(extras[k]!, 3);
      else if (s === 18) this.writeBits(extras[k]!, 7);
    }
  }
}
