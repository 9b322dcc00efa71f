// The RCA template: fixed `##` sections in a fixed order, the Markdown built from them, and which
// sections a text fills (the effectiveness report's consistency). Shared by both engines, so a
// draft from a model and one from the built-in drafter read alike.
import { RCA_SECTIONS, type RcaSection } from '../../core/api/rca';

export type SectionTexts = Record<RcaSection, string>;

export function renderTemplate(title: string, sections: SectionTexts, note?: string): string {
  const parts = [`# RCA: ${title.replace(/\s+/g, ' ')}`];
  if (note) parts.push(`> ${note}`);
  for (const section of RCA_SECTIONS) parts.push(`## ${section}\n\n${sections[section].trim()}`);
  return `${parts.join('\n\n')}\n`;
}

/** The text under each `## Section` heading the template knows (case-insensitive), by section. */
export function splitSections(markdown: string): Partial<Record<RcaSection, string>> {
  const found: Partial<Record<RcaSection, string>> = {};
  let current: RcaSection | null = null;
  let lines: string[] = [];
  const flush = (): void => {
    if (current) found[current] = lines.join('\n').trim();
  };
  for (const line of markdown.split('\n')) {
    const heading = /^#{2,3}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const name = heading[1]!.toLowerCase();
      current = RCA_SECTIONS.find((s) => s.toLowerCase() === name) ?? null;
      lines = [];
    } else if (/^#\s/.test(line)) {
      flush();
      current = null;
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  return found;
}

/** Words it takes for a section to count as filled: a heading over a word or two is not. */
export const MIN_FILLED_WORDS = 3;

export function sectionsFilled(markdown: string): RcaSection[] {
  const found = splitSections(markdown);
  return RCA_SECTIONS.filter(
    (s) => (found[s]?.split(/\s+/).filter(Boolean).length ?? 0) >= MIN_FILLED_WORDS,
  );
}
