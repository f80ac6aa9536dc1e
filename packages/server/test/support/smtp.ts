// A real SMTP server (the `smtp-server` package) on an ephemeral loopback port that keeps every delivered mail,
// for tests that read the code and the link from the message itself. `reject` refuses every recipient;
// `stall` accepts the connection and then never answers (before the greeting, or after DATA), which is how a slow
// or hung mail server looks to Gatehouse. The mail is parsed here (headers, multipart, quoted-printable, base64,
// encoded words) rather than with a library: that is all nodemailer's output needs.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  /** Envelope sender (MAIL FROM). */
  envelopeFrom: string;
  /** Header fields by lower-case name, unfolded, encoded words decoded. */
  headers: ReadonlyMap<string, string>;
  from: string;
  subject: string;
  text: string;
  html: string;
  raw: string;
}

export interface TestSmtp {
  /** For GATEHOUSE_SMTP_URL / config.smtpUrl. */
  url: string;
  /** Every mail delivered, oldest first. */
  messages: CapturedMail[];
  /**
   * The next mail to `to` that this call has not returned before (so a mail that arrived before the call is not
   * missed); waits for the delivery event, up to `timeoutMs`.
   */
  nextMessage(to: string, timeoutMs?: number): Promise<CapturedMail>;
  close(): Promise<void>;
}

export interface SmtpOptions {
  /** Refuse every recipient with 550. */
  reject?: boolean;
  /** Never answer: before the 220 greeting, or once the message data is in (no 250 for DATA). */
  stall?: 'greeting' | 'data';
}

export async function startSmtp(opts: SmtpOptions = {}): Promise<TestSmtp> {
  const messages: CapturedMail[] = [];
  const delivered = new EventEmitter();
  const returned = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1, // stalled connections are cut at close instead of 30 s later
    onConnect(_session, callback) {
      if (opts.stall !== 'greeting') callback();
    },
    onRcptTo(_address, _session, callback) {
      if (!opts.reject) return callback();
      callback(Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (opts.stall === 'data') return;
        const mail = parseMail(Buffer.concat(chunks).toString('utf8'), {
          to: session.envelope.rcptTo.map((a) => a.address.toLowerCase()),
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        });
        messages.push(mail);
        callback();
        delivered.emit('mail');
      });
    },
  });
  const listening = server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => listening.once('listening', resolve).once('error', reject));
  const port = (listening.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    nextMessage(to, timeoutMs = 5_000) {
      const address = to.toLowerCase();
      const take = () => {
        const mine = messages.filter((m) => m.to.includes(address));
        const seen = returned.get(address) ?? 0;
        if (mine.length <= seen) return undefined;
        returned.set(address, seen + 1);
        return mine[seen];
      };
      const now = take();
      if (now) return Promise.resolve(now);
      return new Promise((resolve, reject) => {
        const onMail = () => {
          const m = take();
          if (!m) return;
          clearTimeout(timer);
          delivered.off('mail', onMail);
          resolve(m);
        };
        const timer = setTimeout(() => {
          delivered.off('mail', onMail);
          reject(new Error(`no mail to ${to} within ${timeoutMs} ms; delivered to: ${messages.map((m) => m.to.join(',')).join('; ') || 'nobody'}`));
        }, timeoutMs);
        delivered.on('mail', onMail);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The six-digit one-time code in the text part. */
export function codeOf(mail: CapturedMail): string {
  const m = /^\s*(\d{6})\s*$/m.exec(mail.text);
  if (!m) throw new Error(`no six-digit code in the mail "${mail.subject}"`);
  return m[1]!;
}

/** The first http(s) link in the text part. */
export function linkOf(mail: CapturedMail): string {
  const m = /https?:\/\/[^\s<>"]+/.exec(mail.text);
  if (!m) throw new Error(`no link in the mail "${mail.subject}"`);
  return m[0];
}

function parseMail(raw: string, envelope: { to: string[]; envelopeFrom: string }): CapturedMail {
  const { headers, body } = splitHead(raw);
  const out = { text: '', html: '' };
  walk(headers, body, out);
  return { ...envelope, headers, from: headers.get('from') ?? '', subject: headers.get('subject') ?? '', ...out, raw };
}

function splitHead(raw: string): { headers: Map<string, string>; body: string } {
  const end = /\r?\n\r?\n/.exec(raw);
  const head = end ? raw.slice(0, end.index) : raw;
  const body = end ? raw.slice(end.index + end[0].length) : '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !headers.has(line.slice(0, i).trim().toLowerCase())) headers.set(line.slice(0, i).trim().toLowerCase(), decodeWords(line.slice(i + 1).trim()));
  }
  return { headers, body };
}

function walk(headers: Map<string, string>, body: string, out: { text: string; html: string }) {
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    for (const section of body.split(`--${boundary}`).slice(1)) {
      if (section.startsWith('--')) break;
      const part = splitHead(section.replace(/^\r?\n/, '').replace(/\r?\n$/, ''));
      walk(part.headers, part.body, out);
    }
    return;
  }
  const decoded = decodeBody(body, headers.get('content-transfer-encoding') ?? '7bit').replace(/\r\n/g, '\n');
  if (/^text\/html/i.test(type)) out.html ||= decoded;
  else if (/^text\/plain/i.test(type)) out.text ||= decoded;
}

function decodeBody(body: string, encoding: string): string {
  const enc = encoding.toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') return bytesToUtf8(body.replace(/=\r?\n/g, ''));
  return body;
}

/** `=XX` escapes to bytes, then the bytes read as UTF-8 (RFC 2045 §6.7). */
function bytesToUtf8(qp: string): string {
  return Buffer.from(qp.replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`); whitespace between two of them is dropped. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : bytesToUtf8(text.replace(/_/g, ' ')));
}
