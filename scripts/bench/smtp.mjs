// A real SMTP server (the `smtp-server` package) on a loopback port for the recovery bench: it receives
// Gatehouse's mail and hands the six-digit code in the text part to whoever waits for that recipient. The mail
// is parsed as in packages/server/test/support/smtp.ts (multipart, quoted-printable, base64): all nodemailer's
// output needs. It runs in the load generator's process (core 1), as the mail provider would be elsewhere.
import { SMTPServer } from 'smtp-server';

export async function startSmtp() {
  const inbox = new Map(); // recipient -> { mails: [], waiters: [] }
  const box = (to) => { let b = inbox.get(to); if (!b) inbox.set(to, (b = { mails: [], waiters: [] })); return b; };
  let delivered = 0;
  let notices = 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], disableReverseLookup: true, logger: false, closeTimeout: 1,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const text = textOf(Buffer.concat(chunks).toString('utf8'));
        const to = session.envelope.rcptTo.map((a) => a.address.toLowerCase()); // callback() resets the envelope
        callback();
        delivered++;
        // Only mails with a code are handed out; the others (the notice that the password was changed) are counted.
        const code = /^\s*(\d{6})\s*$/m.exec(text)?.[1];
        if (!code) { notices++; return; }
        for (const address of to) {
          const b = box(address);
          const w = b.waiters.shift();
          if (w) w(code); else b.mails.push(code);
        }
      });
    },
  });
  const listening = server.listen(0, '127.0.0.1');
  await new Promise((resolve, reject) => listening.once('listening', resolve).once('error', reject));
  return {
    url: `smtp://127.0.0.1:${listening.address().port}`,
    get delivered() { return delivered; },
    get notices() { return notices; },
    /** The code in the next mail with a code to `to` (one that arrived before the call counts). */
    nextCode(to, timeoutMs = 10_000) {
      const b = box(to.toLowerCase());
      if (b.mails.length) return Promise.resolve(b.mails.shift());
      return new Promise((resolve, reject) => {
        const w = (code) => { clearTimeout(timer); resolve(code); };
        const timer = setTimeout(() => { b.waiters.splice(b.waiters.indexOf(w), 1); reject(new Error(`no mail to ${to} within ${timeoutMs} ms`)); }, timeoutMs);
        b.waiters.push(w);
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function splitHead(raw) {
  const end = /\r?\n\r?\n/.exec(raw);
  const head = end ? raw.slice(0, end.index) : raw;
  const body = end ? raw.slice(end.index + end[0].length) : '';
  const headers = new Map();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !headers.has(line.slice(0, i).trim().toLowerCase())) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body };
}

/** The text/plain part, decoded. */
function textOf(raw) {
  const walk = ({ headers, body }) => {
    const type = headers.get('content-type') ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (/^multipart\//i.test(type) && boundary) {
      for (const section of body.split(`--${boundary}`).slice(1)) {
        if (section.startsWith('--')) break;
        const t = walk(splitHead(section.replace(/^\r?\n/, '').replace(/\r?\n$/, '')));
        if (t !== undefined) return t;
      }
      return undefined;
    }
    if (!/^text\/plain/i.test(type)) return undefined;
    const enc = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
    if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (enc === 'quoted-printable') return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    return body;
  };
  return (walk(splitHead(raw)) ?? '').replace(/\r\n/g, '\n');
}
