// Slack incoming-webhook messages: Block Kit blocks plus the `text` fallback that notifications
// and old clients show. Slack parses &, < and > in text as markup (links, mentions), so every
// piece of text that is not markup is escaped, and clipped to the block limits so Slack does not
// refuse the whole message with invalid_blocks.

export interface SlackText {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}

export type SlackBlock =
  | { type: 'header'; text: SlackText & { type: 'plain_text' } }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Slack's published limits for the blocks used here. */
export const SLACK_LIMITS = {
  headerChars: 150,
  sectionChars: 3000,
  fieldChars: 2000,
  fields: 10,
  blocks: 50,
  textChars: 40_000,
} as const;

/** Escapes the three characters Slack reserves; nothing else, or Slack shows the entities. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Clips escaped text to `max` characters without cutting an entity in two. */
export function clipEscaped(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1).replace(/&[a-z]{0,3}$/, '')}…`;
}

export function mrkdwn(text: string, max: number = SLACK_LIMITS.sectionChars): SlackText {
  return { type: 'mrkdwn', text: clipEscaped(text, max) };
}
