// Command lines of the benchmarks and drills: a bad one (an unknown flag, a value out of range)
// is answered with one line saying what was wrong and the usage, exit code 2, never a stack trace.

export function optionsOrExit<T>(tool: string, usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(message.startsWith('[') ? message : `[${tool}] ${message}`);
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
}

/**
 * A numeric option's value, checked: `integer` ones must be whole. Throws an Error naming the
 * option, its range and what was given (optionsOrExit reports it).
 */
export function numberOption(
  name: string,
  value: string,
  range: { min: number; max?: number; integer?: boolean },
): number {
  const n = Number(value);
  const { min, max = Number.MAX_SAFE_INTEGER, integer = true } = range;
  if (
    value.trim() === '' ||
    !(integer ? Number.isInteger(n) : Number.isFinite(n)) ||
    n < min ||
    n > max
  ) {
    const kind = integer ? 'an integer' : 'a number';
    const bounds = range.max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
    throw new Error(`--${name} must be ${kind} ${bounds}, got "${value}"`);
  }
  return n;
}
