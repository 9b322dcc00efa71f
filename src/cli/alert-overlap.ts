// The alert overlap report: every pair of alert rules compared on their normalised PromQL
// expression, their labels, their `for:` and, from the ticket history, how often they fired
// together; pairs at or above a threshold are printed as Markdown with their similarity and a
// diff, so ambiguous alerts can be pruned before they tire the people on call.

export interface AlertRule {
  name: string;
  /** The expression as Prometheus prints it after parsing (one canonical form). */
  query: string;
  /** `for:` in seconds. */
  forSeconds: number;
  labels: Record<string, string>;
  /** The file and group it came from, for the report. */
  origin: string;
}

/** One ticket's life, for "fired together": which rule opened it, for which tenant, when. */
export interface Firing {
  rule: string;
  tenant: string;
  fromMs: number;
  toMs: number;
}

export interface PairScore {
  a: AlertRule;
  b: AlertRule;
  similarity: number;
  expression: number;
  labels: number;
  forDuration: number;
  /** null when either rule has no ticket in the history. */
  firedTogether: number | null;
  together: { a: number; b: number; aTotal: number; bTotal: number } | null;
}

const WEIGHTS = { expression: 0.55, labels: 0.2, forDuration: 0.1, firedTogether: 0.15 };

/**
 * Tokens of an expression with label matchers sorted inside their braces, so that
 * `x{b="1",a="2"}` and `x{a="2", b="1"}` read the same.
 */
export function expressionTokens(query: string): string[] {
  const sorted = query.replace(/\{([^{}]*)\}/g, (_, inner: string) => {
    const matchers = inner
      .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
      .map((m) => m.replace(/\s+/g, ''))
      .filter((m) => m.length > 0)
      .sort();
    return `{${matchers.join(',')}}`;
  });
  return (
    sorted.match(/"(?:[^"\\]|\\.)*"|[A-Za-z_:][A-Za-z0-9_:]*|\d+(?:\.\d+)?(?:e[+-]?\d+)?|\S/g) ?? []
  );
}

/** 2 × longest common subsequence / total length: 1 for equal sequences, 0 for disjoint ones. */
export function sequenceSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length + b.length === 0) return 1;
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      row[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, row[j - 1]!);
    }
    previous = row;
  }
  return (2 * previous[b.length]!) / (a.length + b.length);
}

function labelSimilarity(a: Record<string, string>, b: Record<string, string>): number {
  const pairs = (l: Record<string, string>) =>
    new Set(Object.entries(l).map(([k, v]) => `${k}=${v}`));
  const x = pairs(a);
  const y = pairs(b);
  const union = new Set([...x, ...y]).size;
  if (union === 0) return 1;
  return [...x].filter((p) => y.has(p)).length / union;
}

function forSimilarity(a: number, b: number): number {
  if (a === b) return 1;
  return Math.min(a, b) / Math.max(a, b);
}

const overlaps = (x: Firing, y: Firing) =>
  x.tenant === y.tenant && x.fromMs <= y.toMs && y.fromMs <= x.toMs;

function firedTogether(a: readonly Firing[], b: readonly Firing[]) {
  if (a.length === 0 || b.length === 0) return null;
  const aWithB = a.filter((x) => b.some((y) => overlaps(x, y))).length;
  const bWithA = b.filter((y) => a.some((x) => overlaps(x, y))).length;
  return {
    score: (aWithB + bWithA) / (a.length + b.length),
    counts: { a: aWithB, b: bWithA, aTotal: a.length, bTotal: b.length },
  };
}

export function scorePair(a: AlertRule, b: AlertRule, firings: readonly Firing[]): PairScore {
  const expression = sequenceSimilarity(expressionTokens(a.query), expressionTokens(b.query));
  const labels = labelSimilarity(a.labels, b.labels);
  const forDuration = forSimilarity(a.forSeconds, b.forSeconds);
  const together = firedTogether(
    firings.filter((f) => f.rule === a.name),
    firings.filter((f) => f.rule === b.name),
  );
  // Without a history of both, the other measures share its weight.
  let weighted = WEIGHTS.expression * expression + WEIGHTS.labels * labels;
  weighted += WEIGHTS.forDuration * forDuration;
  let total = WEIGHTS.expression + WEIGHTS.labels + WEIGHTS.forDuration;
  if (together) {
    weighted += WEIGHTS.firedTogether * together.score;
    total += WEIGHTS.firedTogether;
  }
  return {
    a,
    b,
    similarity: weighted / total,
    expression,
    labels,
    forDuration,
    firedTogether: together?.score ?? null,
    together: together?.counts ?? null,
  };
}

/** Every pair of distinct rules, most similar first. */
export function comparePairs(rules: readonly AlertRule[], firings: readonly Firing[]): PairScore[] {
  const pairs: PairScore[] = [];
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) pairs.push(scorePair(rules[i]!, rules[j]!, firings));
  }
  return pairs.sort((x, y) => y.similarity - x.similarity);
}

export function formatSeconds(seconds: number): string {
  if (seconds === 0) return '0s';
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}

const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || '(none)';

function pairMarkdown(p: PairScore): string[] {
  const two = (n: number) => n.toFixed(2);
  const lines = [
    `## ${p.a.name} ~ ${p.b.name}: ${two(p.similarity)}`,
    '',
    `expression ${two(p.expression)}, labels ${two(p.labels)}, for ${two(p.forDuration)}, ` +
      (p.together
        ? `fired together ${two(p.firedTogether!)} (${p.together.a} of ${p.together.aTotal} ` +
          `${p.a.name} tickets overlapped one of ${p.b.name}, ${p.together.b} of ${p.together.bTotal} the other way)`
        : 'fired together: no ticket history of both'),
    '',
    '```diff',
  ];
  const row = (key: string, x: string, y: string) => {
    if (x === y) lines.push(`  ${key}: ${x}`);
    else lines.push(`- ${key}: ${x}`, `+ ${key}: ${y}`);
  };
  row('alert', p.a.name, p.b.name);
  row('from', p.a.origin, p.b.origin);
  row('expr', p.a.query, p.b.query);
  row('for', formatSeconds(p.a.forSeconds), formatSeconds(p.b.forSeconds));
  row('labels', labelText(p.a.labels), labelText(p.b.labels));
  lines.push('```');
  return lines;
}

export interface ReportInput {
  rules: readonly AlertRule[];
  files: readonly string[];
  threshold: number;
  firings: readonly Firing[];
  /** What the ticket history covered, or null without one. */
  history: string | null;
}

export function overlapReport(input: ReportInput): { markdown: string; overlapping: number } {
  const pairs = comparePairs(input.rules, input.firings).filter(
    (p) => p.similarity >= input.threshold,
  );
  const lines = [
    '# Alert overlap report',
    '',
    `${input.rules.length} alert rules from ${input.files.join(', ')}; threshold ` +
      `${input.threshold.toFixed(2)}; ticket history: ${input.history ?? 'none'}.`,
    '',
  ];
  if (pairs.length === 0) lines.push('no overlapping alerts');
  for (const p of pairs) lines.push(...pairMarkdown(p), '');
  return { markdown: lines.join('\n').trimEnd(), overlapping: pairs.length };
}
