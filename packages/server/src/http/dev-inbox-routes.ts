// GET /dev/inbox (HTML) and /dev/inbox.json: the development inbox (mail/dev-inbox.ts), resolved only when
// GATEHOUSE_DEV_INBOX or the demo turned it on. Every value is escaped; links in the text part are the only
// markup made from a mail, and only for http(s) URLs.
import type { InboxMessage } from '../mail/dev-inbox.js';
import type { Route } from './context.js';
import { escapeHtml, NO_STORE, sendHtml, sendJson } from './respond.js';

const page: Route = {
  methods: ['GET', 'HEAD'], family: 'html',
  handler: async (ctx) => sendHtml(ctx.res, 200, inboxPage(ctx.deps.mail.inbox?.list() ?? [])),
};

const json: Route = {
  methods: ['GET', 'HEAD'], family: 'plain',
  handler: async (ctx) => sendJson(ctx.res, 200, { messages: ctx.deps.mail.inbox?.list() ?? [] }, NO_STORE),
};

export const DEV_INBOX_ROUTES: Readonly<Record<string, Route>> = { '/dev/inbox': page, '/dev/inbox.json': json };

function inboxPage(messages: readonly InboxMessage[]): string {
  const items = messages.map((m) =>
    `<article id="m${m.id}"><h2>${escapeHtml(m.subject)}</h2>` +
    `<p>To <b>${escapeHtml(m.to)}</b> from ${escapeHtml(m.from)} at <time>${escapeHtml(m.at)}</time></p>` +
    `<pre>${linkify(m.text)}</pre></article><hr>`).join('');
  return '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Development inbox</title></head><body><main>' +
    '<h1>Development inbox</h1><p><strong>Development only:</strong> mail is kept here instead of being sent ' +
    '(GATEHOUSE_DEV_INBOX). Newest first; a restart empties it.</p>' +
    (items || '<p>No mail yet.</p>') + '</main></body></html>';
}

function linkify(text: string): string {
  return text.split(/(https?:\/\/[^\s<>"]+)/).map((part, i) =>
    i % 2 === 1 ? `<a href="${escapeHtml(part)}" rel="noreferrer">${escapeHtml(part)}</a>` : escapeHtml(part)).join('');
}
