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
