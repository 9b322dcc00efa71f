// Figures for the JSON the benchmarks and drills print: rounded to a few digits.

export const round = (value: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
