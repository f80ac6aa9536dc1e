// gatehouse <command>: one file per command group; this one dispatches through COMMANDS. A command's modules load
// only when it runs (dynamic import), so `--help` and usage errors answer without loading the server.
// Exit codes: 0 done, 1 not found or refused (the database said no), 2 usage (the command line was wrong).
import { UsageError } from './args.js';

type Run = (argv: string[]) => Promise<number>;
interface Command { usage: string; load: () => Promise<Run> }

/** One line per command: its usage (shown by `gatehouse --help` and `gatehouse <command> --help`) and its module. */
const COMMANDS: Record<string, Command> = {
  serve: { load: async () => (await import('./serve.js')).serve, usage: `
  serve   [--db URL] [--port N] [--base-url URL] [--host H]   run the server` },
  user: { load: async () => (await import('./user.js')).userCommand, usage: `
  user    create --email E --password P [--first-name F] [--last-name L] [--login L]
          list
          unlock|deactivate|suspend|activate --id ID|--email E
          set-password --id ID|--email E --password P       (the policy applies; the user's sessions end)
          reset-password --id ID|--email E [--client-id ID]  (sessions end, the old password stops working; a
                 one-time recovery link is mailed to the app's email-verify URI, or the recovery_token printed)
          factors --id ID|--email E                         (the user's enrollments: password, email, TOTP, keys)
          reset-factor --id ID|--email E --key google_otp|webauthn [--factor-id ID]
                 (removes it; the user enrolls again at the next sign-in that needs it)` },
  app: { load: async () => (await import('./app.js')).appCommand, usage: `
  app     create --name N --type web|spa|native|service [--redirect-uri U]... [--post-logout-redirect-uri U]...
                 [--trusted-origin O]... [--sign-in identifier-first|password-first] [--jwks FILE]
                 [--frame-ancestor O]... [--pkce required|optional]   (optional only for web apps; their default)
                 [--email-verify-uri U]                              (where magic links go)
                 [--assurance any-1|any-2|phishing-resistant] [--remember-device-minutes N]
          list
          update --client-id ID [--name N] [--redirect-uri U]... [--post-logout-redirect-uri U]... [--trusted-origin O]...
                 [--sign-in P] [--frame-ancestor O]... [--pkce required|optional] [--email-verify-uri U|'']
                 [--assurance any-1|any-2|phishing-resistant] [--remember-device-minutes N]
                 (a list given replaces the app's list)
          rotate-secret --client-id ID                      (prints the new secret once; the old one stops working)` },
  origin: { load: async () => (await import('./origin.js')).originCommand, usage: `
  origin  list | add --origin O | remove --origin O          the org's trusted origins (CORS)` },
  keys: { load: async () => (await import('./keys.js')).keysCommand, usage: `
  keys    list | rotate                                      (rotate on a database without keys creates the first ones)` },
  server: { load: async () => (await import('./server.js')).serverCommand, usage: `
  server  create --id ID [--audience A]... [--scope S]... [--access-token-minutes N] [--id-token-minutes N]
                 [--refresh-token-days N]
          list` },
  events: { load: async () => (await import('./events.js')).eventsCommand, usage: `
  events  [--limit N] [--type T] [--jsonl]                   newest first; --jsonl prints one event per line` },
  policy: { load: async () => (await import('./policy.js')).policyCommand, usage: `
  policy  show
          set [--lockout-attempts N] [--lockout-minutes M] [--password-min-length N] [--password-exclude-username true|false]
              [--self-service-registration on|off] [--registration-email-verification required|off]
              [--self-service-unlock on|off]` },
  'profile-schema': { load: async () => (await import('./profile-schema.js')).profileSchemaCommand, usage: `
  profile-schema add --name N --label L [--required] [--max-length N] [--enum a,b,c]   a custom profile attribute
          list` },
  brand: { load: async () => (await import('./brand.js')).brandCommand, usage: `
  brand   show [--app CLIENT_ID]
          set [--app CLIENT_ID] [--name N] [--logo-url U] [--primary-color #hex] [--background #hex]
              (without --app: the org's default; with it: that app's override; '' clears a value)` },
  authenticator: { load: async () => (await import('./authenticator.js')).authenticatorCommand, usage: `
  authenticator list | enable --key K | disable --key K   the org's authenticators: okta_password, okta_email,
                                                          google_otp, webauthn (all on by default)` },
  'api-token': { load: async () => (await import('./api-token.js')).apiTokenCommand, usage: `
  api-token create --name N [--read-only]   a management API token (Authorization: SSWS …), printed once
          list | revoke --id ID` },
  'event-hook': { load: async () => (await import('./event-hook.js')).eventHookCommand, usage: `
  event-hook create --url U --event T... [--name N] [--secret S] [--auth-header H]
                 POSTs those events (Okta eventTypes, e.g. user.session.start) to U in batches, the secret in
                 header H (default Authorization); U must answer Okta's verification first (https, or http to loopback)
          list                                              (with delivery status: last delivery, failures, pending)
          verify|activate|deactivate|delete --id ID          (only a deactivated hook is deleted)` },
};

export const USAGE = `Usage: gatehouse <command> [options]

Commands:${Object.values(COMMANDS).map((c) => c.usage).join('')}

Every command takes --db URL (or GATEHOUSE_DB; default sqlite:./data/gatehouse.db; also postgres://…).
Commands that only read (list, show, events) refuse a SQLite file that does not exist.
Lists print a JSON array ([] when empty); other commands print one JSON object.
Exit codes: 0 done; 1 not found or refused; 2 usage error (message on stderr).`;

/** How a thrown error maps to an exit code, by name: importing the classes would load what they live with. */
const EXIT_CODES: Record<string, number> = { UsageError: 2, ConfigError: 2, AdminError: 1, NoDatabase: 1 };

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    const topic = cmd === 'help' && rest[0] && Object.hasOwn(COMMANDS, rest[0]) ? COMMANDS[rest[0]] : undefined;
    console.log(topic ? `Usage: gatehouse <command> [options]${topic.usage}` : USAGE);
    return cmd === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  try {
    if (!command) throw new UsageError(`unknown command "${cmd}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(`Usage: gatehouse <command> [options]${command.usage}`);
      return 0;
    }
    return await (await command.load())(rest);
  } catch (e) {
    const code = e instanceof Error ? EXIT_CODES[e.name] : undefined;
    if (code === undefined) throw e;
    console.error(`gatehouse: ${(e as Error).message}`);
    if (code === 2 && e instanceof UsageError) console.error(`Run "gatehouse ${command ? `${cmd} ` : ''}--help" for usage.`);
    return code;
  }
}
