import type {
  BlockQuoteDefinition,
  BulletListDefinition,
  CodeBlockDefinition,
  HardBreakDefinition,
  HeadingDefinition,
  ListItemDefinition,
  OrderedListDefinition,
  ParagraphDefinition,
  RuleDefinition,
  TextDefinition,
} from '@atlaskit/adf-schema';
import {
  blockQuote,
  bulletList,
  code,
  codeBlock,
  em,
  hardBreak,
  heading,
  link,
  listItem,
  orderedList,
  paragraph,
  rule,
  strike,
  strong,
  text,
} from '@atlaskit/adf-utils/builders';
import MarkdownIt from 'markdown-it';
import { isSafeWebUrl, stripUnsafeCharacters } from './text';

/**
 * Markdown → Atlassian Document Format, from markdown-it tokens and the ADF builders of
 * `@atlaskit/adf-utils`. Supports headings, paragraphs, bullet/ordered lists, code blocks,
 * inline code, links, emphasis/strong/strike, hard breaks, blockquotes and rules.
 *
 * Never emits invalid ADF: no empty text nodes, list items always start with a paragraph or a
 * code block, blockquotes/list items only hold what ADF allows (headings inside them become bold
 * paragraphs, nested quotes are flattened), links only to http(s)/mailto URLs (others keep their
 * text), raw HTML is shown as text, images become links, nesting is capped.
 */

export type Block =
  | ParagraphDefinition
  | HeadingDefinition
  | BulletListDefinition
  | OrderedListDefinition
  | CodeBlockDefinition
  | BlockQuoteDefinition
  | RuleDefinition;
export type InlineNode = TextDefinition | HardBreakDefinition;
type Container = 'doc' | 'listItem' | 'blockquote';
type Token = MarkdownIt.Token;

const markdown = new MarkdownIt('commonmark', { html: false, linkify: true, typographer: false })
  .enable(['linkify', 'strikethrough'])
  .set({ maxNesting: 20 });

/** http(s) without credentials, or a mailto: address. */
export function isSafeLinkHref(href: string): boolean {
  if (isSafeWebUrl(href)) return true;
  return /^mailto:[^\s@/?#]+@[^\s@/?#]+$/i.test(href) && href.length <= 320;
}

type MarkState = { strong: number; em: number; strike: number; links: Array<string | undefined> };

function makeText(value: string, marks: MarkState, isCode: boolean): TextDefinition | undefined {
  const clean = stripUnsafeCharacters(value, false);
  if (clean.length === 0) return undefined;
  let node: TextDefinition = text(clean);
  const href = marks.links[marks.links.length - 1];
  if (isCode) {
    node = code(node) as TextDefinition; // ADF: code combines with link only
  } else {
    if (marks.strong > 0) node = strong(node) as TextDefinition;
    if (marks.em > 0) node = em(node) as TextDefinition;
    if (marks.strike > 0) node = strike(node) as TextDefinition;
  }
  if (href !== undefined) node = link({ href })(node) as TextDefinition;
  return node;
}

function sameMarks(a: TextDefinition, b: TextDefinition): boolean {
  return JSON.stringify(a.marks ?? []) === JSON.stringify(b.marks ?? []);
}

/** Appends, merging adjacent text nodes that carry the same marks. */
function pushInline(out: InlineNode[], node: InlineNode | undefined): void {
  if (node === undefined) return;
  const last = out[out.length - 1];
  if (last && last.type === 'text' && node.type === 'text' && sameMarks(last, node)) {
    out[out.length - 1] = { ...last, text: last.text + node.text };
    return;
  }
  out.push(node);
}

function convertInline(children: ReadonlyArray<Token> | null): InlineNode[] {
  const out: InlineNode[] = [];
  const marks: MarkState = { strong: 0, em: 0, strike: 0, links: [] };
  for (const token of children ?? []) {
    switch (token.type) {
      case 'text':
      case 'html_inline':
        pushInline(out, makeText(token.content, marks, false));
        break;
      case 'code_inline':
        pushInline(out, makeText(token.content, marks, true));
        break;
      case 'softbreak':
        pushInline(out, makeText(' ', marks, false));
        break;
      case 'hardbreak':
        out.push(hardBreak());
        break;
      case 'strong_open':
        marks.strong += 1;
        break;
      case 'strong_close':
        marks.strong -= 1;
        break;
      case 'em_open':
        marks.em += 1;
        break;
      case 'em_close':
        marks.em -= 1;
        break;
      case 's_open':
        marks.strike += 1;
        break;
      case 's_close':
        marks.strike -= 1;
        break;
      case 'link_open': {
        const href = String(token.attrGet('href') ?? '');
        marks.links.push(isSafeLinkHref(href) ? href : marks.links[marks.links.length - 1]);
        break;
      }
      case 'link_close':
        marks.links.pop();
        break;
      case 'image': {
        const src = String(token.attrGet('src') ?? '');
        const alt = token.children?.map((child: Token) => child.content).join('') || src;
        marks.links.push(isSafeLinkHref(src) ? src : marks.links[marks.links.length - 1]);
        pushInline(out, makeText(alt, marks, false));
        marks.links.pop();
        break;
      }
      default:
        if (token.content) pushInline(out, makeText(token.content, marks, false));
    }
  }
  // A trailing hard break renders as nothing useful; drop it.
  while (out.length > 0 && out[out.length - 1]?.type === 'hardBreak') out.pop();
  return out;
}

/** The marks of a text node (adf-schema types them loosely). */
function marksOf(node: TextDefinition): ReadonlyArray<{ type: string }> {
  return (node.marks ?? []) as ReadonlyArray<{ type: string }>;
}

/** Inline content as one bold paragraph, for headings where ADF allows none. */
function boldParagraph(inline: InlineNode[]): ParagraphDefinition {
  return paragraph(
    ...inline.map((node) =>
      node.type === 'text' && !marksOf(node).some((m) => m.type === 'code' || m.type === 'strong')
        ? (strong({ ...node, marks: [...marksOf(node)] }) as TextDefinition)
        : node,
    ),
  );
}

function sanitiseLanguage(info: string): string | undefined {
  const language = info.trim().split(/\s+/)[0] ?? '';
  return /^[A-Za-z0-9_+#.-]{1,30}$/.test(language) ? language.toLowerCase() : undefined;
}

function makeCodeBlock(token: Token): CodeBlockDefinition {
  const language = token.type === 'fence' ? sanitiseLanguage(token.info) : undefined;
  const body = stripUnsafeCharacters(token.content.replace(/\n$/, ''), true);
  return codeBlock(language ? { language } : undefined)(...(body.length > 0 ? [text(body)] : []));
}

/** Finds the index of the token that closes the one opened at `start`. */
function findClose(tokens: ReadonlyArray<Token>, start: number): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    depth += tokens[i]!.nesting;
    if (depth === 0) return i;
  }
  return tokens.length - 1;
}

function convertList(tokens: ReadonlyArray<Token>, start: number, end: number): ListItemDefinition[] {
  const items: ListItemDefinition[] = [];
  let i = start + 1;
  while (i < end) {
    const token = tokens[i]!;
    if (token.type !== 'list_item_open') {
      i += 1;
      continue;
    }
    const close = findClose(tokens, i);
    const content = convertBlocks(tokens, i + 1, close, 'listItem');
    const first = content[0];
    if (!first || (first.type !== 'paragraph' && first.type !== 'codeBlock')) content.unshift(paragraph());
    items.push(listItem(content as ListItemDefinition['content']));
    i = close + 1;
  }
  return items;
}

/** Converts the block tokens in [start, end) for the given container. */
function convertBlocks(tokens: ReadonlyArray<Token>, start: number, end: number, container: Container): Block[] {
  const out: Block[] = [];
  let i = start;
  while (i < end) {
    const token = tokens[i]!;
    switch (token.type) {
      case 'paragraph_open': {
        const close = findClose(tokens, i);
        const inline = convertInline(tokens[i + 1]?.children ?? null);
        if (inline.length > 0) out.push(paragraph(...inline));
        i = close + 1;
        break;
      }
      case 'heading_open': {
        const close = findClose(tokens, i);
        const inline = convertInline(tokens[i + 1]?.children ?? null);
        const level = Math.min(6, Math.max(1, Number(token.tag.slice(1)) || 1)) as 1 | 2 | 3 | 4 | 5 | 6;
        if (inline.length > 0) out.push(container === 'doc' ? heading({ level })(...inline) : boldParagraph(inline));
        i = close + 1;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const close = findClose(tokens, i);
        const items = convertList(tokens, i, close);
        if (items.length > 0) {
          if (token.type === 'bullet_list_open') out.push(bulletList(...items));
          else {
            const order = Number(token.attrGet('start') ?? 1);
            out.push(orderedList(Number.isSafeInteger(order) && order > 1 ? { order } : undefined)(...items));
          }
        }
        i = close + 1;
        break;
      }
      case 'blockquote_open': {
        const close = findClose(tokens, i);
        const inner = convertBlocks(tokens, i + 1, close, 'blockquote');
        if (container === 'doc') {
          if (inner.length > 0) out.push(blockQuote(...(inner as Parameters<typeof blockQuote>)));
        } else {
          out.push(...inner); // ADF allows no blockquote here: keep the content
        }
        i = close + 1;
        break;
      }
      case 'fence':
      case 'code_block':
        out.push(makeCodeBlock(token));
        i += 1;
        break;
      case 'hr':
        if (container === 'doc') out.push(rule());
        i += 1;
        break;
      default: {
        if (token.nesting === 1) {
          // An unknown container: keep its content.
          const close = findClose(tokens, i);
          out.push(...convertBlocks(tokens, i + 1, close, container));
          i = close + 1;
        } else {
          if (token.type === 'inline' || token.type === 'html_block' || token.type === 'text') {
            const inline = token.children ? convertInline(token.children) : convertInline([token]);
            if (inline.length > 0) out.push(paragraph(...inline));
          }
          i += 1;
        }
      }
    }
  }
  return out;
}

/** Markdown → ADF block nodes (the content of a document). */
export function markdownToBlocks(source: string): Block[] {
  const tokens = markdown.parse(stripUnsafeCharacters(source, true), {});
  return convertBlocks(tokens, 0, tokens.length, 'doc');
}
