import { z } from 'zod';
import { hashValue } from './hash';
import { stripUnsafeCharacters, truncateText } from './text';

/**
 * The Forge comment events the comment-event trigger receives (`avi:jira:commented:issue` — a new
 * comment, and as Jira sends edits — and `avi:jira:deleted:comment`), parsed at the edge. Only what
 * the app reads is required. Pure: no I/O.
 */

const IdSchema = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const AccountSchema = z.object({ accountId: z.string().min(1) }).passthrough();

export const CommentVisibilitySchema = z
  .object({ type: z.enum(['role', 'group']), value: z.string().min(1) })
  .passthrough();

const EventCommentSchema = z
  .object({
    id: IdSchema,
    author: AccountSchema.optional(),
    updateAuthor: AccountSchema.optional(),
    /** ADF (REST v3); a plain string is accepted too. */
    body: z.unknown().optional(),
    created: z.string().optional(),
    updated: z.string().optional(),
    visibility: CommentVisibilitySchema.nullable().optional(),
  })
  .passthrough();

const EventIssueSchema = z
  .object({
    id: IdSchema,
    key: z.string().min(1),
    fields: z
      .object({ project: z.object({ key: z.string() }).passthrough().optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

export const CommentEventSchema = z
  .object({
    eventType: z.enum(['avi:jira:commented:issue', 'avi:jira:deleted:comment']),
    selfGenerated: z.boolean().optional(),
    atlassianId: z.string().optional(),
    issue: EventIssueSchema,
    comment: EventCommentSchema,
  })
  .passthrough();
export type CommentEvent = z.output<typeof CommentEventSchema>;

/** Longest comment text sent to the platform (a Jira comment may hold ~32,000 characters of ADF). */
export const CALLBACK_COMMENT_MAX = 20_000;

const BLOCKS = new Set(['paragraph', 'heading', 'blockquote', 'codeBlock', 'listItem', 'panel', 'rule', 'tableRow']);

/** The text of an ADF document: text nodes joined, blocks on lines of their own, mentions by name. */
export function adfToText(node: unknown): string {
  if (typeof node === 'string') return node;
  const lines: string[] = [];
  let line = '';
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    const n = value as { type?: unknown; text?: unknown; attrs?: { text?: unknown }; content?: unknown };
    if (n.type === 'text' && typeof n.text === 'string') line += n.text;
    else if (n.type === 'hardBreak') line += '\n';
    else if ((n.type === 'mention' || n.type === 'emoji') && typeof n.attrs?.text === 'string') line += n.attrs.text;
    if (Array.isArray(n.content)) n.content.forEach(walk);
    if (typeof n.type === 'string' && BLOCKS.has(n.type)) {
      lines.push(line);
      line = '';
    }
  };
  walk(node);
  if (line) lines.push(line);
  const text = lines
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return truncateText(stripUnsafeCharacters(text, true), CALLBACK_COMMENT_MAX);
}

/** What makes an edit news for the platform: the text and who may see it. */
export function jiraCommentHash(text: string, visibility: { type: string; value: string } | null | undefined): string {
  return hashValue({ text, visibility: visibility ? { type: visibility.type, value: visibility.value } : null }).slice(
    0,
    24,
  );
}
