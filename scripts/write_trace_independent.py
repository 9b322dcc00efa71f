#!/usr/bin/env python3
"""Writes a spin trace (format version 1, traces/FORMAT.md) from the specification alone.

It shares no code with the TypeScript reader, so a test that reads this file back checks the
reader against the spec rather than against its own writer.

    python3 scripts/write_trace_independent.py OUT W H FRAMES

The pattern is a travelling plane wave whose phase at cell (x, y) in frame k is exactly
    theta = 2*pi * (x/W + 2*y/H + k/FRAMES)
so a reader can check any cell: with W, H and FRAMES powers of two no larger than 65536,
q = (65536*x/W + 2*65536*y/H + 65536*k/FRAMES) mod 65536, an exact integer.
"""

import math
import struct
import sys
import zlib

MAGIC = b"SPINTRC1"
VERSION = 1
HEADER_BYTES = 64
MAX_SPINS = 16_777_216
INTERVAL_US = 16667  # 60 frames/s
PHASE_STEPS = 65536


def quantize(theta):
    # The spec's q = round(theta / (2*pi) * 65536) mod 65536, rounding halves up as JavaScript's
    # Math.round does (Python's round() would round halves to even).
    return int(math.floor(theta / (2 * math.pi) * PHASE_STEPS + 0.5)) % PHASE_STEPS


def header(width, height, frames):
    # magic, version, header size, W, H, F, interval (us), flags, seed, 20 reserved zero bytes
    fields = struct.pack(
        "<8sHHIIIIIQ20x", MAGIC, VERSION, HEADER_BYTES, width, height, frames, INTERVAL_US, 0, 0
    )
    assert len(fields) == 60
    return fields + struct.pack("<I", zlib.crc32(fields) & 0xFFFFFFFF)


def frame_record(k, width, height, frames):
    phases = []
    for y in range(height):
        for x in range(width):
            theta = 2 * math.pi * (x / width + 2 * y / height + k / frames)
            phases.append(quantize(theta))
    body = struct.pack("<%dH" % len(phases), *phases)
    return struct.pack("<II", k, zlib.crc32(body) & 0xFFFFFFFF) + body


def main(argv):
    if len(argv) != 5:
        sys.stderr.write("usage: write_trace_independent.py OUT W H FRAMES\n")
        return 2
    out = argv[1]
    try:
        width, height, frames = (int(a) for a in argv[2:5])
    except ValueError:
        sys.stderr.write("W, H and FRAMES must be integers\n")
        return 2
    if width < 1 or height < 1 or width * height > MAX_SPINS or frames < 1 or frames > 0xFFFFFFFF:
        sys.stderr.write("need W, H >= 1, W*H <= %d and 1 <= FRAMES < 2^32\n" % MAX_SPINS)
        return 2
    with open(out, "wb") as f:
        f.write(header(width, height, frames))
        for k in range(frames):
            f.write(frame_record(k, width, height, frames))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
