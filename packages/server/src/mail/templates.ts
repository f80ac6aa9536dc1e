// The mails Gatehouse sends, rendered as a subject, a text part and an HTML part, in the widget's languages
// (en, fr, de). Pure: no transport, no config read here. Every value the caller passes is escaped in the HTML
// part and flattened to one line in both parts; links must be absolute http(s) URLs, which the caller builds
// from the base URL or an app's registered callback. No images, no tracking, no remote content.

export const MAIL_TEMPLATES = ['email-challenge', 'email-enroll', 'password-recovery', 'password-changed', 'signup-attempt', 'account-unlock'] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

export const MAIL_LOCALES = ['en', 'fr', 'de'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

export interface MailParams {
  /** The one-time code; required by every template but `password-changed`. */
  code?: string;
  /** Optional magic link: an absolute http(s) URL (the base URL or the app's email-verify callback); '' = none. */
  link?: string;
  /** Whom to greet: first name or login. Omitted: a greeting without a name. */
  userName?: string;
  /** The address concerned; `password-changed` names it. */
  email?: string;
  /** The app the user was signing in to, when there is one. */
  appName?: string;
  /** How long the code (and link) stay valid, in minutes (`5` or `'5'`); omitted: no expiry line. */
  expiresMinutes?: number | string;
  /** `password-recovery` only: an administrator started the reset, not the user. */
  adminReset?: boolean;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface TemplateStrings {
  subject: string;
  intro: string;
  introApp?: string;
  introEmail?: string;
  introAdmin?: string;
  linkIntro?: string;
  linkLabel?: string;
  ignore: string;
  ignoreAdmin?: string;
}

interface LocaleStrings {
  greeting: string;
  greetingAnon: string;
  expires: string;
  expiresOne: string;
  templates: Record<MailTemplate, TemplateStrings>;
}

// French puts a (non-breaking) space before a colon.
const NB = '\u00a0';

const STRINGS: Record<MailLocale, LocaleStrings> = {
  en: {
    greeting: 'Hello {name},',
    greetingAnon: 'Hello,',
    expires: 'The code expires in {n} minutes.',
    expiresOne: 'The code expires in 1 minute.',
    templates: {
      'email-challenge': {
        subject: 'Your {brand} sign-in code',
        intro: 'Enter this code to sign in:',
        introApp: 'Enter this code to sign in to {app}:',
        linkIntro: 'Or sign in with this link:',
        linkLabel: 'Sign in',
        ignore: 'If you did not try to sign in, ignore this email. Never share this code with anyone.',
      },
      'email-enroll': {
        subject: 'Verify your email address for {brand}',
        intro: 'Enter this code to verify your email address:',
        introApp: 'Enter this code to verify your email address for {app}:',
        linkIntro: 'Or verify it with this link:',
        linkLabel: 'Verify my email address',
        ignore: 'If you did not ask for this, ignore this email.',
      },
      'password-recovery': {
        subject: 'Reset your {brand} password',
        intro: 'Enter this code to reset your password:',
        introApp: 'Enter this code to reset your password for {app}:',
        introAdmin: 'Your administrator has reset your password. Follow the link below to choose a new one.',
        linkIntro: 'Or reset it with this link:',
        linkLabel: 'Reset my password',
        ignore: 'If you did not ask to reset your password, ignore this email: your password stays as it is.',
        ignoreAdmin: 'If you did not expect this, contact your administrator.',
      },
      'signup-attempt': {
        subject: 'Someone tried to sign up to {brand} with your address',
        intro: 'Someone tried to create a new account with your email address, which already has one. Nothing was changed.',
        introEmail: 'Someone tried to create a new account with {email}, which already has one. Nothing was changed.',
        ignore: 'If it was you, sign in instead; if you forgot your password, use "Forgot password?" on the sign-in page.',
      },
      'account-unlock': {
        subject: 'Unlock your {brand} account',
        intro: 'Enter this code to unlock your account:',
        introApp: 'Enter this code to unlock your account for {app}:',
        ignore: 'If you did not ask to unlock your account, ignore this email. Never share this code with anyone.',
      },
      'password-changed': {
        subject: 'Your {brand} password was changed',
        intro: 'The password of your account was just changed.',
        introEmail: 'The password of your account {email} was just changed.',
        ignore: 'If you did not change it, contact your administrator at once.',
      },
    },
  },
  fr: {
    greeting: 'Bonjour {name},',
    greetingAnon: 'Bonjour,',
    expires: 'Ce code expire dans {n} minutes.',
    expiresOne: 'Ce code expire dans 1 minute.',
    templates: {
      'email-challenge': {
        subject: 'Votre code de connexion {brand}',
        intro: `Saisissez ce code pour vous connecter${NB}:`,
        introApp: `Saisissez ce code pour vous connecter à {app}${NB}:`,
        linkIntro: `Ou connectez-vous avec ce lien${NB}:`,
        linkLabel: 'Me connecter',
        ignore: 'Si vous n’avez pas tenté de vous connecter, ignorez cet e-mail. Ne communiquez ce code à personne.',
      },
      'email-enroll': {
        subject: 'Vérifiez votre adresse e-mail pour {brand}',
        intro: `Saisissez ce code pour vérifier votre adresse e-mail${NB}:`,
        introApp: `Saisissez ce code pour vérifier votre adresse e-mail pour {app}${NB}:`,
        linkIntro: `Ou vérifiez-la avec ce lien${NB}:`,
        linkLabel: 'Vérifier mon adresse e-mail',
        ignore: 'Si vous n’avez rien demandé, ignorez cet e-mail.',
      },
      'password-recovery': {
        subject: 'Réinitialisez votre mot de passe {brand}',
        intro: `Saisissez ce code pour réinitialiser votre mot de passe${NB}:`,
        introApp: `Saisissez ce code pour réinitialiser votre mot de passe pour {app}${NB}:`,
        introAdmin: 'Votre administrateur a réinitialisé votre mot de passe. Suivez le lien ci-dessous pour en choisir un nouveau.',
        linkIntro: `Ou réinitialisez-le avec ce lien${NB}:`,
        linkLabel: 'Réinitialiser mon mot de passe',
        ignore: `Si vous n’avez pas demandé à réinitialiser votre mot de passe, ignorez cet e-mail${NB}: votre mot de passe reste inchangé.`,
        ignoreAdmin: 'Si vous ne vous y attendiez pas, contactez votre administrateur.',
      },
      'signup-attempt': {
        subject: 'Quelqu’un a tenté de s’inscrire à {brand} avec votre adresse',
        intro: 'Quelqu’un a tenté de créer un compte avec votre adresse e-mail, qui en a déjà un. Rien n’a été modifié.',
        introEmail: 'Quelqu’un a tenté de créer un compte avec {email}, qui en a déjà un. Rien n’a été modifié.',
        ignore: 'Si c’était vous, connectez-vous plutôt ; si vous avez oublié votre mot de passe, utilisez « Mot de passe oublié ? ».',
      },
      'account-unlock': {
        subject: 'Déverrouillez votre compte {brand}',
        intro: `Saisissez ce code pour déverrouiller votre compte${NB}:`,
        introApp: `Saisissez ce code pour déverrouiller votre compte pour {app}${NB}:`,
        ignore: 'Si vous n’avez pas demandé à déverrouiller votre compte, ignorez cet e-mail. Ne communiquez ce code à personne.',
      },
      'password-changed': {
        subject: 'Votre mot de passe {brand} a été modifié',
        intro: 'Le mot de passe de votre compte vient d’être modifié.',
        introEmail: 'Le mot de passe de votre compte {email} vient d’être modifié.',
        ignore: 'Si vous n’êtes pas à l’origine de ce changement, contactez immédiatement votre administrateur.',
      },
    },
  },
  de: {
    greeting: 'Hallo {name},',
    greetingAnon: 'Hallo,',
    expires: 'Der Code läuft in {n} Minuten ab.',
    expiresOne: 'Der Code läuft in 1 Minute ab.',
    templates: {
      'email-challenge': {
        subject: 'Ihr Anmeldecode für {brand}',
        intro: 'Geben Sie diesen Code ein, um sich anzumelden:',
        introApp: 'Geben Sie diesen Code ein, um sich bei {app} anzumelden:',
        linkIntro: 'Oder melden Sie sich mit diesem Link an:',
        linkLabel: 'Anmelden',
        ignore: 'Wenn Sie sich nicht anmelden wollten, ignorieren Sie diese E-Mail. Geben Sie diesen Code an niemanden weiter.',
      },
      'email-enroll': {
        subject: 'Bestätigen Sie Ihre E-Mail-Adresse für {brand}',
        intro: 'Geben Sie diesen Code ein, um Ihre E-Mail-Adresse zu bestätigen:',
        introApp: 'Geben Sie diesen Code ein, um Ihre E-Mail-Adresse für {app} zu bestätigen:',
        linkIntro: 'Oder bestätigen Sie sie mit diesem Link:',
        linkLabel: 'E-Mail-Adresse bestätigen',
        ignore: 'Wenn Sie dies nicht angefordert haben, ignorieren Sie diese E-Mail.',
      },
      'password-recovery': {
        subject: 'Setzen Sie Ihr Passwort für {brand} zurück',
        intro: 'Geben Sie diesen Code ein, um Ihr Passwort zurückzusetzen:',
        introApp: 'Geben Sie diesen Code ein, um Ihr Passwort für {app} zurückzusetzen:',
        introAdmin: 'Ihr Administrator hat Ihr Passwort zurückgesetzt. Folgen Sie dem Link unten, um ein neues zu wählen.',
        linkIntro: 'Oder setzen Sie es mit diesem Link zurück:',
        linkLabel: 'Passwort zurücksetzen',
        ignore: 'Wenn Sie das Zurücksetzen nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.',
        ignoreAdmin: 'Wenn Sie das nicht erwartet haben, wenden Sie sich an Ihren Administrator.',
      },
      'signup-attempt': {
        subject: 'Jemand wollte sich mit Ihrer Adresse bei {brand} registrieren',
        intro: 'Jemand wollte mit Ihrer E-Mail-Adresse ein Konto anlegen, obwohl es schon eines gibt. Nichts wurde geändert.',
        introEmail: 'Jemand wollte mit {email} ein Konto anlegen, obwohl es schon eines gibt. Nichts wurde geändert.',
        ignore: 'Wenn Sie es waren, melden Sie sich stattdessen an; bei vergessenem Passwort nutzen Sie „Passwort vergessen?“.',
      },
      'account-unlock': {
        subject: 'Entsperren Sie Ihr Konto bei {brand}',
        intro: 'Geben Sie diesen Code ein, um Ihr Konto zu entsperren:',
        introApp: 'Geben Sie diesen Code ein, um Ihr Konto für {app} zu entsperren:',
        ignore: 'Wenn Sie das Entsperren nicht angefordert haben, ignorieren Sie diese E-Mail. Geben Sie diesen Code niemals weiter.',
      },
      'password-changed': {
        subject: 'Ihr Passwort für {brand} wurde geändert',
        intro: 'Das Passwort Ihres Kontos wurde soeben geändert.',
        introEmail: 'Das Passwort Ihres Kontos {email} wurde soeben geändert.',
        ignore: 'Wenn Sie es nicht selbst geändert haben, wenden Sie sich sofort an Ihren Administrator.',
      },
    },
  },
};

/**
 * The supported language for a tag (`fr-CA` → `fr`) or an Accept-Language list (`de-CH,de;q=0.9,en;q=0.8`),
 * best quality first; English when none matches.
 */
export function mailLocale(tags?: string | null): MailLocale {
  const ranked = (tags ?? '').split(',').map((part, i) => {
    const [tag = '', ...attrs] = part.trim().split(';');
    const q = attrs.map((a) => /^\s*q=([0-9.]+)\s*$/.exec(a)).find(Boolean);
    return { lang: tag.trim().toLowerCase().split(/[-_]/)[0]!, q: q ? Number(q[1]) : 1, i };
  }).filter((t) => t.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked.map((t) => t.lang).find((l) => (MAIL_LOCALES as readonly string[]).includes(l)) as MailLocale | undefined) ?? 'en';
}

/** Throws a TypeError on values the caller should never pass (a missing code, a link that is not http(s)). */
export function renderMail(template: MailTemplate, params: MailParams, opts: { brand: string; locale?: string | null }): RenderedMail {
  const locale = mailLocale(opts.locale);
  const l = STRINGS[locale];
  const t = l.templates[template];
  if (!t) throw new TypeError(`unknown mail template ${String(template)}`);
  // An administrator's reset carries a long one-time link (a recovery token, too long to type), not a code.
  const adminLink = template === 'password-recovery' && params.adminReset === true;
  if (adminLink && !params.link) throw new TypeError('mail: an administrator reset needs a link');
  const needsCode = template !== 'password-changed' && template !== 'signup-attempt' && !adminLink;
  const code = needsCode ? checkedCode(params.code) : undefined;
  const link = (needsCode || adminLink) && params.link ? checkedLink(params.link) : undefined;
  const vars = {
    brand: oneLine(opts.brand), name: oneLine(params.userName), app: oneLine(params.appName), email: oneLine(params.email),
    n: minutes(params.expiresMinutes),
  };
  const admin = template === 'password-recovery' && params.adminReset === true;
  const subject = fill(t.subject, vars);
  const greeting = fill(vars.name ? l.greeting : l.greetingAnon, vars);
  const intro = fill((admin && t.introAdmin) || (vars.app && t.introApp) || (vars.email && t.introEmail) || t.intro, vars);
  const expires = (needsCode || adminLink) && vars.n ? fill(vars.n === '1' ? l.expiresOne : l.expires, vars) : '';
  const ignore = (admin && t.ignoreAdmin) || t.ignore;
  const linkIntro = link && t.linkIntro ? t.linkIntro : '';

  const text = [
    greeting, '', intro, '',
    ...(code ? [`    ${code}`, ''] : []),
    ...(expires ? [expires, ''] : []),
    ...(link ? [linkIntro, link, ''] : []),
    ignore, '', '-- ', vars.brand, '',
  ].join('\n');

  const e = escapeHtml;
  const p = (s: string, style = '') => `<p style="margin:0 0 16px${style}">${e(s)}</p>`;
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width"><title>${e(subject)}</title></head>` +
    `<body style="margin:0;padding:24px;background:#ffffff;color:#1f2328;font:16px/1.5 -apple-system,'Segoe UI',Roboto,Arial,sans-serif">` +
    `<div style="max-width:480px;margin:0 auto">` +
    p(vars.brand, ';font-weight:600;font-size:18px') + p(greeting) + p(intro) +
    (code ? `<p style="margin:0 0 16px;font:700 32px/1.2 Menlo,Consolas,'Courier New',monospace;letter-spacing:6px">${e(code)}</p>` : '') +
    (expires ? p(expires) : '') +
    (link ? p(linkIntro) + `<p style="margin:0 0 16px"><a href="${e(link)}" style="display:inline-block;padding:10px 16px;` +
      `background:#1a56db;color:#ffffff;text-decoration:none;border-radius:4px">${e(t.linkLabel ?? link)}</a></p>` +
      p(link, ';font-size:13px;color:#57606a;word-break:break-all') : '') +
    p(ignore, ';font-size:13px;color:#57606a') +
    `</div></body></html>`;
  return { subject, text, html };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function fill(s: string, vars: Record<string, string>): string {
  return s.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}

// A name on one line and of a sane length: a value with line breaks could forge paragraphs (or, in the
// text part, a fake link on a line of its own) in a mail that carries our brand.
function oneLine(v: string | undefined): string {
  const flat = (v ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? flat.slice(0, 79) + '…' : flat;
}

function minutes(v: number | string | undefined): string {
  if (v === undefined || v === '') return '';
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new TypeError('mail: expiresMinutes must be a positive number');
  return String(Math.ceil(n));
}

function checkedCode(code: string | undefined): string {
  if (code === undefined || !/^[A-Za-z0-9]{4,12}$/.test(code)) throw new TypeError('mail: a one-time code of 4 to 12 letters or digits is required');
  return code;
}

function checkedLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new TypeError('mail: link is not an absolute URL');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || link.length > 2048) {
    throw new TypeError('mail: link must be an http(s) URL without credentials');
  }
  return url.href;
}
