import { readFileSync } from 'node:fs';
import { createApp, rotateAppSecret, updateApp, type PkceSetting } from '../identity/admin.js';
import type { App, AppType, Assurance, SignInPolicy } from '../store/interfaces.js';
import { parse, required, UsageError, wholeNumber } from './args.js';
import { openAdmin, printJson } from './context.js';

const show = (a: App) => ({
  client_id: a.clientId, name: a.name, type: a.type, token_endpoint_auth_method: a.authMethod, redirect_uris: a.redirectUris,
  post_logout_redirect_uris: a.postLogoutRedirectUris, grant_types: a.grantTypes, sign_in: a.signIn, frame_ancestors: a.frameAncestors,
  pkce: a.pkceRequired ? 'required' : 'optional', email_verify_uri: a.emailVerifyUri, assurance: a.assurance,
  remember_device_minutes: a.rememberDeviceMinutes,
});

export async function appCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'create': {
      const { values } = parse(rest, {
        db: { type: 'string' }, name: { type: 'string' }, type: { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true },
        'post-logout-redirect-uri': { type: 'string', multiple: true }, 'trusted-origin': { type: 'string', multiple: true },
        'sign-in': { type: 'string' }, jwks: { type: 'string' }, 'frame-ancestor': { type: 'string', multiple: true },
        pkce: { type: 'string' }, 'email-verify-uri': { type: 'string' }, assurance: { type: 'string' }, 'remember-device-minutes': { type: 'string' },
      });
      const name = required(values, 'name');
      const type = required(values, 'type') as AppType;
      let jwks = null;
      if (values.jwks) {
        try { jwks = JSON.parse(readFileSync(values.jwks, 'utf8')); } catch (e) { throw new UsageError(`--jwks: cannot read a JWK set from ${values.jwks}: ${(e as Error).message}`); }
      }
      const { store } = await openAdmin(values.db);
      try {
        const { app, clientSecret } = await createApp(store, {
          name, type, redirectUris: values['redirect-uri'], postLogoutRedirectUris: values['post-logout-redirect-uri'],
          trustedOrigins: values['trusted-origin'], signIn: values['sign-in'] as SignInPolicy | undefined, jwks,
          authMethod: jwks ? 'private_key_jwt' : undefined, frameAncestors: values['frame-ancestor'],
          pkce: values.pkce as PkceSetting | undefined, emailVerifyUri: values['email-verify-uri'],
          assurance: values.assurance as Assurance | undefined, rememberDeviceMinutes: wholeNumber(values['remember-device-minutes'], 'remember-device-minutes', 525_600, 0),
        }, Date.now());
        await store.events.append({ type: 'app.create', at: app.createdAt, clientId: app.clientId });
        printJson({ ...show(app), ...(clientSecret ? { client_secret: clientSecret } : {}) });
      } finally { await store.close(); }
      return 0;
    }
    case 'list': {
      const { values } = parse(rest, { db: { type: 'string' } });
      const { store } = await openAdmin(values.db, { readOnly: true });
      try { printJson((await store.apps.list()).map(show)); } finally { await store.close(); }
      return 0;
    }
    case 'update': {
      const { values } = parse(rest, {
        db: { type: 'string' }, 'client-id': { type: 'string' }, name: { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true },
        'post-logout-redirect-uri': { type: 'string', multiple: true }, 'trusted-origin': { type: 'string', multiple: true },
        'sign-in': { type: 'string' }, 'frame-ancestor': { type: 'string', multiple: true }, pkce: { type: 'string' },
        'email-verify-uri': { type: 'string' }, assurance: { type: 'string' }, 'remember-device-minutes': { type: 'string' },
      });
      const clientId = required(values, 'client-id');
      const { store } = await openAdmin(values.db);
      try {
        const app = await updateApp(store, clientId, {
          name: values.name, redirectUris: values['redirect-uri'], postLogoutRedirectUris: values['post-logout-redirect-uri'],
          trustedOrigins: values['trusted-origin'], signIn: values['sign-in'] as SignInPolicy | undefined, frameAncestors: values['frame-ancestor'],
          pkce: values.pkce as PkceSetting | undefined, emailVerifyUri: values['email-verify-uri'],
          assurance: values.assurance as Assurance | undefined, rememberDeviceMinutes: wholeNumber(values['remember-device-minutes'], 'remember-device-minutes', 525_600, 0),
        }, Date.now());
        printJson(show(app));
      } finally { await store.close(); }
      return 0;
    }
    case 'rotate-secret': {
      const { values } = parse(rest, { db: { type: 'string' }, 'client-id': { type: 'string' } });
      const clientId = required(values, 'client-id');
      const { store } = await openAdmin(values.db);
      try {
        const { app, clientSecret } = await rotateAppSecret(store, clientId, Date.now());
        printJson({ ...show(app), client_secret: clientSecret });
      } finally { await store.close(); }
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown app command "${sub}"` : 'app needs a command: create, list, update, rotate-secret');
  }
}
