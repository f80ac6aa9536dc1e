// gatehouse <command>: serve, user, app, origin, keys, server, events, policy. One file per command group; this one dispatches.
import { UsageError } from './args.js';
import { serve } from './serve.js';
import { userCommand } from './user.js';
import { appCommand } from './app.js';
import { keysCommand } from './keys.js';
import { eventsCommand } from './events.js';
import { policyCommand } from './policy.js';
import { serverCommand } from './server.js';
import { originCommand } from './origin.js';
import { ConfigError } from '../errors.js';
import { AdminError } from '../identity/admin.js';

const USAGE = `Usage: gatehouse <command> [options]

Commands:
  serve   [--db URL] [--port N] [--base-url URL]        run the server
  user    create --email E --password P [--first-name F] [--last-name L] [--login L]
          list | unlock|deactivate|suspend|activate --id ID|--email E | set-password --id ID|--email E --password P
          reset-password --id ID|--email E [--client-id ID]   (sessions end, the old password stops working; a one-time
                                                              recovery link is mailed to the app's email-verify URI,
                                                              or the recovery_token is printed)
  app     create --name N --type web|spa|native|service [--redirect-uri U]... [--post-logout-redirect-uri U]...
                 [--trusted-origin O]... [--sign-in identifier-first|password-first] [--jwks FILE]
                 [--frame-ancestor O]... [--pkce required|optional]   (optional only for web apps; their default)
                 [--email-verify-uri U]                              (where magic links go)
          list
          update --client-id ID [--name N] [--redirect-uri U]... [--post-logout-redirect-uri U]... [--trusted-origin O]...
                 [--sign-in P] [--frame-ancestor O]... [--pkce required|optional] [--email-verify-uri U|'']
                 (a list given replaces the app's list)
          rotate-secret --client-id ID                      (prints the new secret once; the old one stops working)
  origin  list | add --origin O | remove --origin O               the org's trusted origins (CORS)
  keys    rotate | list
  server  create --id ID [--audience A]... [--scope S]... [--access-token-minutes N] [--id-token-minutes N]
                 [--refresh-token-days N]
          list
  events  [--limit N] [--type T]
  policy  show | set [--lockout-attempts N] [--lockout-minutes M] [--password-min-length N]
                     [--password-exclude-username true|false]

Every command takes --db URL (or GATEHOUSE_DB; default sqlite:./data/gatehouse.db; also postgres://…).`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'serve':
        return await serve(rest);
      case 'user':
        return await userCommand(rest);
      case 'app':
        return await appCommand(rest);
      case 'keys':
        return await keysCommand(rest);
      case 'events':
        return await eventsCommand(rest);
      case 'policy':
        return await policyCommand(rest);
      case 'server':
        return await serverCommand(rest);
      case 'origin':
        return await originCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof AdminError) {
      console.error(`gatehouse: ${e.message}`);
      if (e instanceof UsageError) console.error('Run "gatehouse help" for usage.');
      return 2;
    }
    throw e;
  }
}
