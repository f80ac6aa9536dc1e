// Sending mail: one interface over SMTP (nodemailer), the development inbox, or nothing at all. It renders the
// templates (templates.ts), bounds how long a send can hold up a response, and turns every failure into one
// typed MailSendFailed, logged without the code or the link. It does not decide who gets mail or when: the
// email authenticator and password recovery do, and they check `enabled` before offering a flow that needs it.
import { createTransport } from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createDevInbox, type DevInbox } from './dev-inbox.js';
import { renderMail, type MailParams, type MailTemplate } from './templates.js';

export { MAIL_LOCALES, MAIL_TEMPLATES, mailLocale, renderMail, type MailLocale, type MailParams, type MailTemplate, type RenderedMail } from './templates.js';
export type { DevInbox, InboxMessage } from './dev-inbox.js';

export interface MailMessage {
  /** One bare address (`ada@example.com`); never a list. */
  to: string;
  template: MailTemplate;
  /** A language tag or an Accept-Language value; English when none of en, fr, de matches. */
  locale?: string | null;
  params: MailParams;
}

export interface Mailer {
  /** False when mail is off: flows that need mail must not be offered. */
  readonly enabled: boolean;
  readonly mode: 'smtp' | 'dev-inbox' | 'off';
  /** The development inbox; present only in mode 'dev-inbox'. */
  readonly inbox?: DevInbox;
  /**
   * Renders and sends one mail. Resolves once the SMTP server accepted it; rejects with MailSendFailed
   * (never anything else for a delivery problem) within `mailTimeoutMs`. A TypeError means the caller passed a
   * value no mail should carry (no code, a link that is not http(s)).
   */
  send(msg: MailMessage): Promise<void>;
}

export type MailSendFailure = 'disabled' | 'invalid-recipient' | 'timeout' | 'rejected' | 'unreachable';

/** The mail was not sent. The user can retry; the message says why without the mail's content. */
export class MailSendFailed extends Error {
  override name = 'MailSendFailed';
  constructor(readonly reason: MailSendFailure, options?: { cause?: unknown }) {
    super(`mail not sent: ${reason}`, options);
  }
}

/** Transport-level timeouts (connect, greeting, each socket wait): a few seconds, never more than the overall bound. */
const TRANSPORT_TIMEOUT_MS = 5_000;

type MailConfig = Pick<Config, 'baseUrl' | 'smtpUrl' | 'mailFrom' | 'brandName' | 'devInbox' | 'mailTimeoutMs'>;

/** Builds the mailer the configuration asks for, and says at start which one it is. */
export function createMailer(cfg: MailConfig, log: Logger, now: () => number = Date.now): Mailer {
  if (cfg.devInbox) {
    log.warn(`DEVELOPMENT INBOX ON: mail is not sent; every message, codes and links included, is shown at ${cfg.baseUrl}/dev/inbox ` +
      `to anyone who can reach this server. Never set GATEHOUSE_DEV_INBOX in production.${cfg.smtpUrl ? ' GATEHOUSE_SMTP_URL is ignored.' : ''}`);
    return devInboxMailer(cfg, log, now);
  }
  if (cfg.smtpUrl) return smtpMailer(cfg, log);
  log.warn('mail is off (no GATEHOUSE_SMTP_URL): password recovery and the email authenticator are not offered');
  return {
    enabled: false,
    mode: 'off',
    async send() {
      throw new MailSendFailed('disabled');
    },
  };
}

function smtpMailer(cfg: MailConfig, log: Logger): Mailer {
  const url = new URL(cfg.smtpUrl!);
  const secure = url.protocol === 'smtps:';
  const auth = url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const wait = Math.min(TRANSPORT_TIMEOUT_MS, cfg.mailTimeoutMs);
  const transport = createTransport({
    host, port, secure, auth,
    // smtp:// upgrades with STARTTLS when the server offers it; with credentials it must, so a password never
    // crosses the network in the clear because an attacker stripped the STARTTLS offer.
    requireTLS: !secure && auth !== undefined,
    connectionTimeout: wait, greetingTimeout: wait, socketTimeout: wait, dnsTimeout: wait,
  });
  log.info({ host, port, secure, auth: auth !== undefined }, 'mail via SMTP');
  return {
    enabled: true,
    mode: 'smtp',
    async send(msg) {
      const to = checkedRecipient(msg.to);
      const mail = renderMail(msg.template, msg.params, { brand: cfg.brandName, locale: msg.locale });
      try {
        await withinBound(transport.sendMail({
          // Copies: nodemailer writes into the address objects it is given (and the config's is frozen).
          from: { ...cfg.mailFrom }, to: { name: '', address: to }, subject: mail.subject, text: mail.text, html: mail.html,
          // RFC 3834: machine-generated, so out-of-office replies are not sent back to no-reply.
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
        }), cfg.mailTimeoutMs);
      } catch (e) {
        const failed = e instanceof MailSendFailed ? e : new MailSendFailed(reasonOf(e), { cause: e });
        // What went wrong at the SMTP level, never the mail itself (it carries the code and the link).
        log.warn({ template: msg.template, reason: failed.reason, smtp: smtpDetail(e) }, 'mail not sent');
        throw failed;
      }
      log.debug({ template: msg.template }, 'mail sent');
    },
  };
}

function devInboxMailer(cfg: MailConfig, log: Logger, now: () => number): Mailer {
  const inbox = createDevInbox();
  const from = cfg.mailFrom.name ? `${cfg.mailFrom.name} <${cfg.mailFrom.address}>` : cfg.mailFrom.address;
  return {
    enabled: true,
    mode: 'dev-inbox',
    inbox,
    async send(msg) {
      const to = checkedRecipient(msg.to);
      const mail = renderMail(msg.template, msg.params, { brand: cfg.brandName, locale: msg.locale });
      inbox.add({ at: new Date(now()).toISOString(), from, to, ...mail });
      log.info({ template: msg.template }, 'mail kept in the development inbox');
    },
  };
}

// One bare address: nodemailer would read "a@x, b@y" as two recipients, and a line break as a header.
function checkedRecipient(to: string): string {
  if (typeof to !== 'string' || to.length > 254 || !/^[^\s<>@",;()\\]+@[^\s<>@",;()\\]+$/.test(to)) throw new MailSendFailed('invalid-recipient');
  return to;
}

function withinBound<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MailSendFailed('timeout')), ms);
  });
  return Promise.race([p, bound]).finally(() => clearTimeout(timer));
}

// nodemailer's error codes: ETIMEDOUT for its own timeouts; EENVELOPE/EMESSAGE/EAUTH/EPROTOCOL when the
// server answered no; ECONNECTION, ESOCKET, EDNS, ETLS when it could not be reached or spoken to.
function reasonOf(e: unknown): MailSendFailure {
  const code = (e as { code?: string } | null)?.code;
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'EENVELOPE' || code === 'EMESSAGE' || code === 'EAUTH' || code === 'EPROTOCOL') return 'rejected';
  return 'unreachable';
}

function smtpDetail(e: unknown): Record<string, unknown> {
  const err = e as { code?: string; responseCode?: number; command?: string; message?: string } | null;
  return { code: err?.code, responseCode: err?.responseCode, command: err?.command, message: err?.message };
}
