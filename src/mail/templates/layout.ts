/**
 * What every email shares: the link builder, HTML escaping, the greeting, and the composer that turns
 * an email's plain-text paragraphs into its text part and its HTML part. The HTML is one self-contained
 * document with inline styles only: no images, no remote CSS, nothing that reports an open.
 */
import type { RenderedEmail } from '../messages.js';

export const PRODUCT_NAME = 'Habit Tracker';

/** The client app's page for an action: `<appUrl>/<action>?token=…` (a deep-link base such as `habits://` takes no extra `/`). */
export function actionLink(appUrl: string, action: 'verify-email' | 'reset-password', token: string): string {
  const base = appUrl.endsWith('/') ? appUrl : `${appUrl}/`;
  // Tokens are base64url and need no encoding; encoding anyway keeps a malformed one from breaking the URL.
  return `${base}${action}?token=${encodeURIComponent(token)}`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element content and in quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

export function greeting(name: string | null): string {
  // One line whatever the name holds, so a name cannot add lines of its own to the text part.
  const oneLine = name?.replace(/\s+/g, ' ').trim();
  return oneLine ? `Hi ${oneLine},` : 'Hello,';
}

/** The link and code of an action email. */
export interface EmailAction {
  url: string;
  /** The button's label in the HTML part. */
  label: string;
  code: string;
}

/** An email as plain-text paragraphs: the text part prints them, the HTML part escapes them. */
export interface EmailContent {
  to: string;
  subject: string;
  name: string | null;
  /** Before the link and code. */
  intro: string[];
  action?: EmailAction;
  /** After the link and code: validity, and what to do if the reader did not ask for this. */
  outro: string[];
}

const STYLE = {
  body: 'margin:0;padding:0;background-color:#f4f4f5;',
  card:
    'max-width:560px;margin:0 auto;padding:32px 24px;background-color:#ffffff;color:#18181b;' +
    "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;",
  paragraph: 'margin:0 0 16px 0;',
  button:
    'display:inline-block;padding:12px 24px;background-color:#2563eb;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600;',
  code: "margin:0 0 16px 0;font-family:'SFMono-Regular',Consolas,'Liberation Mono',Menlo,monospace;font-size:28px;font-weight:700;letter-spacing:4px;",
  fallback: 'margin:0 0 16px 0;font-size:13px;color:#52525b;',
  fallbackLink: 'color:#2563eb;word-break:break-all;',
  footer: 'margin:32px 0 0 0;font-size:13px;color:#71717a;',
};

const paragraph = (text: string, style = STYLE.paragraph) => `<p style="${style}">${escapeHtml(text)}</p>`;

function textPart({ name, intro, action, outro }: EmailContent): string {
  // The link and the code each stand alone on their line: clients and people copy them from there.
  const actionLines = action ? ['Open this link:', action.url, 'Or enter this code in the app:', `Code: ${action.code}`] : [];
  return [greeting(name), ...intro, ...actionLines, ...outro, `— ${PRODUCT_NAME}`].join('\n\n') + '\n';
}

function htmlPart({ subject, name, intro, action, outro }: EmailContent): string {
  const actionHtml = action
    ? [
        `<p style="margin:24px 0;"><a href="${escapeHtml(action.url)}" style="${STYLE.button}">${escapeHtml(action.label)}</a></p>`,
        paragraph('Or enter this code in the app:'),
        paragraph(action.code, STYLE.code),
        `<p style="${STYLE.fallback}">If the button does not work, open this link:<br>` +
          `<a href="${escapeHtml(action.url)}" style="${STYLE.fallbackLink}">${escapeHtml(action.url)}</a></p>`,
      ]
    : [];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
      `<title>${escapeHtml(subject)}</title></head>`,
    `<body style="${STYLE.body}">`,
    `<div style="${STYLE.card}">`,
    paragraph(greeting(name)),
    ...intro.map((text) => paragraph(text)),
    ...actionHtml,
    ...outro.map((text) => paragraph(text)),
    paragraph(PRODUCT_NAME, STYLE.footer),
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function composeEmail(content: EmailContent): RenderedEmail {
  return { to: content.to, subject: content.subject, text: textPart(content), html: htmlPart(content) };
}
