import type { MailLanguage } from '#shared/domain/registration';

/*
 * One email, written once as blocks, laid out twice: as HTML and as plain text, so the two parts always say the same.
 * The HTML is made to be read by everyone, in any mail client:
 * - `<html lang>` and one `<h1>`, so a screen reader speaks it in the right voice and can jump to it;
 * - no layout tables, no images (nothing is lost when a client blocks them), one column that narrows on a phone;
 * - dark grey on white (over 12:1) and links in a blue that passes WCAG AA on white, underlined, whose text says where
 *   they go ("My registrations", not "click here");
 * - styles inline, since many clients drop `<style>`.
 */

export interface EmailLink {
  href: string;
  /** What the reader gets by following it: the link's whole name for a screen reader. */
  text: string;
}

export type EmailBlock =
  | { type: 'paragraph'; text: string }
  /** Labelled facts: "When: …". */
  | { type: 'facts'; items: { label: string; value: string }[] }
  /** A link on its own line; `primary` draws it as a button (still a link). */
  | { type: 'link'; link: EmailLink; primary?: boolean }
  /** Text written by a librarian, kept as they wrote it (paragraphs and line breaks). */
  | { type: 'message'; text: string };

export interface EmailContent {
  language: MailLanguage;
  subject: string;
  /** The one `<h1>`. */
  heading: string;
  blocks: EmailBlock[];
  /** Small print under a rule: why the reader gets this email. */
  footer: string[];
}

export const COLOURS = {
  text: '#1a1a1a',
  muted: '#4a4a4a',
  link: '#0b57d0',
  rule: '#d0d0d0',
  background: '#ffffff',
};

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const paragraphsOf = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);

function htmlBlock(block: EmailBlock): string {
  const p = `margin:0 0 16px 0;`;
  switch (block.type) {
    case 'paragraph':
      return `<p style="${p}">${escapeHtml(block.text)}</p>`;
    case 'facts':
      return block.items
        .map((item) => `<p style="${p}"><strong>${escapeHtml(item.label)}</strong> ${escapeHtml(item.value)}</p>`)
        .join('\n');
    case 'link': {
      const style = block.primary
        ? `display:inline-block;padding:12px 20px;background:${COLOURS.link};color:#ffffff;text-decoration:underline;border-radius:6px;font-weight:bold;`
        : `color:${COLOURS.link};text-decoration:underline;`;
      return `<p style="${p}"><a href="${escapeHtml(block.link.href)}" style="${style}">${escapeHtml(block.link.text)}</a></p>`;
    }
    case 'message':
      return `<div style="margin:0 0 16px 0;padding:0 0 0 16px;border-left:4px solid ${COLOURS.rule};">${paragraphsOf(block.text)
        .map((para) => `<p style="${p}">${escapeHtml(para).replace(/\n/g, '<br>')}</p>`)
        .join('\n')}</div>`;
  }
}

export function toHtml(content: EmailContent): string {
  const body = content.blocks.map(htmlBlock).join('\n');
  const footer = content.footer
    .map((line) => `<p style="margin:0 0 8px 0;font-size:14px;color:${COLOURS.muted};">${escapeHtml(line)}</p>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${content.language}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(content.subject)}</title>
</head>
<body style="margin:0;padding:0;background:${COLOURS.background};color:${COLOURS.text};font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;">
<div role="article" aria-label="${escapeHtml(content.subject)}" lang="${content.language}" style="max-width:600px;margin:0 auto;padding:24px 16px;">
<h1 style="margin:0 0 24px 0;font-size:24px;line-height:1.3;color:${COLOURS.text};">${escapeHtml(content.heading)}</h1>
${body}
<hr style="border:none;border-top:1px solid ${COLOURS.rule};margin:24px 0;">
${footer}
</div>
</body>
</html>
`;
}

function textBlock(block: EmailBlock): string {
  switch (block.type) {
    case 'paragraph':
      return block.text;
    case 'facts':
      return block.items.map((item) => `${item.label} ${item.value}`).join('\n');
    case 'link':
      return `${block.link.text}\n${block.link.href}`;
    case 'message':
      return paragraphsOf(block.text)
        .map((para) => para.split('\n').map((line) => `> ${line}`).join('\n'))
        .join('\n>\n');
  }
}

export function toText(content: EmailContent): string {
  return [
    content.heading,
    '='.repeat(Math.min(content.heading.length, 72)),
    '',
    content.blocks.map(textBlock).join('\n\n'),
    '',
    '-- ',
    content.footer.join('\n'),
    '',
  ].join('\n');
}
