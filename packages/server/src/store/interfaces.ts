// What the protocol model needs from persistence, shaped by use rather than by tables.
// Every method is async so a networked database can implement it. Time is always a parameter (`now`,
// epoch milliseconds) so expiry is testable without sleeping. Secrets arrive here already hashed.

export type UserStatus = 'ACTIVE' | 'STAGED' | 'SUSPENDED' | 'LOCKED_OUT' | 'DEPROVISIONED';

export interface User {
  id: string;
  login: string;
  email: string;
  firstName: string;
  lastName: string;
  locale: string;
  status: UserStatus;
  /** Values of the profile schema's custom attributes (profile-schema add). */
  profile?: Record<string, string>;
  /** The password enrollment's hash, read with the user (the credential itself lives in `enrollments`). */
  passwordHash: string | null;
  failedAttempts: number;
  lockedUntil: number | null;
  createdAt: number;
  updatedAt: number;
  /** Lifecycle dates for the management API (migration 0007); absent only on records built outside the store. */
  activatedAt?: number | null;
  statusChangedAt?: number | null;
  lastLoginAt?: number | null;
  passwordChangedAt?: number | null;
  /** An administrator expired the password (`expire_password`). */
  passwordExpired?: boolean;
}

export type AppType = 'web' | 'spa' | 'native' | 'service';
export type AuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
export type SignInPolicy = 'password-first' | 'identifier-first';

export interface App {
  clientId: string;
  name: string;
  type: AppType;
  secretHash: string | null;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: string[];
  authMethod: AuthMethod;
  signIn: SignInPolicy;
  /** Public JWK set for private_key_jwt clients. */
  jwks: { keys: object[] } | null;
  /** Origins allowed to frame the hosted sign-in page (CSP frame-ancestors); empty = 'none'. */
  frameAncestors: string[];
  /** v1/authorize needs a PKCE challenge. Always true for public clients; a confidential web app may opt out. */
  pkceRequired: boolean;
  /** The app's email-verify callback: magic links go there with `state` and `otp` (spec §4.5); none = no link. */
  emailVerifyUri: string | null;
  /** INACTIVE apps (deactivated through the management API) are not found by `findByClientId`, so nobody signs in to them. */
  status?: 'ACTIVE' | 'INACTIVE';
  /** What a sign-in must prove: one factor, two of different kinds, or a phishing-resistant one (WebAuthn). */
  assurance: Assurance;
  /** A second factor is skipped on a browser remembered for this long; 0 = never. */
  rememberDeviceMinutes: number;
  createdAt: number;
}

export interface AuthServer {
  id: string; // 'org' | 'default' | ...
  /** Path of the issuer below the base URL: '' for the org server, '/oauth2/default' for the default one. */
  issuerPath: string;
  audiences: string[];
  scopes: string[];
  accessTokenTtl: number;
  idTokenTtl: number;
  refreshTokenTtl: number;
}

export interface SigningKey {
  kid: string;
  status: 'next' | 'active' | 'retired';
  publicJwk: Record<string, unknown>;
  /** The private JWK as an encrypted compact JWE (see keys/key-vault.ts). */
  privateJwe: string;
  createdAt: number;
  /** Retired keys stay published until then. */
  removeAfter: number | null;
}

export type { TxStep, Transaction, FlowContext } from '../idx/transaction.js';
import type { Transaction } from '../idx/transaction.js';

export type Assurance = 'any-1' | 'any-2' | 'phishing-resistant';

/** The authenticators Gatehouse knows (identity/authenticators/). */
export type AuthenticatorKey = 'okta_password' | 'okta_email' | 'google_otp' | 'webauthn';

/**
 * A user's credential for one authenticator, the way Kratos keeps an identity's credentials: a new factor adds
 * rows, never a column. `config` is the authenticator's own (password: `{ hash }`; email: `{ email }`).
 */
export interface Enrollment {
  id: string;
  userId: string;
  authenticator: AuthenticatorKey;
  status: 'ACTIVE' | 'PENDING';
  config: Record<string, unknown>;
  /** Only goes up: a TOTP enrollment's last accepted time step, a WebAuthn credential's signature counter. */
  counter: number;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface EnrollmentStore {
  listForUser(userId: string): Promise<Enrollment[]>;
  /** Creates the enrollment, or replaces the one with the same id. */
  put(e: Enrollment): Promise<void>;
  touch(id: string, now: number): Promise<void>;
  /**
   * Moves the counter to `value` and records the use, only if `value` is above it (or both are 0, for WebAuthn
   * authenticators that keep no counter): one conditional update, so a TOTP code or an assertion counts once
   * even under concurrency. False when refused.
   */
  advanceCounter(id: string, value: number, now: number): Promise<boolean>;
  remove(id: string): Promise<boolean>;
}

/** One-time recovery tokens (an administrator's reset link): stored hashed, consumed once. */
export interface RecoveryTokenStore {
  create(t: { tokenHash: string; userId: string; expiresAt: number; createdAt: number }): Promise<void>;
  /** Consumes the token (conditional update, row count checked); the user id, or null if unknown, used or expired. */
  consume(tokenHash: string, now: number): Promise<string | null>;
}


export type CodeKind = 'interaction_code' | 'authorization_code';

export interface OneTimeCode {
  codeHash: string;
  kind: CodeKind;
  clientId: string;
  authServerId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | null;
  codeChallenge: string | null;
  userId: string;
  amr: string[];
  authTime: number;
  sessionId: string | null;
  transactionId: string | null;
  expiresAt: number;
  consumedAt: number | null;
  grantId: string | null;
}

export interface Grant {
  id: string;
  clientId: string;
  userId: string | null;
  authServerId: string;
  scopes: string[];
  amr: string[];
  authTime: number | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface RefreshToken {
  tokenHash: string;
  grantId: string;
  expiresAt: number;
}

export interface IdpSession {
  id: string;
  idHash: string;
  userId: string;
  amr: string[];
  authTime: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface AuditEvent {
  id?: number;
  type: string;
  at: number;
  userId?: string | null;
  clientId?: string | null;
  /** Who acted, when not the user: the management API token's id. */
  actorId?: string | null;
  detail?: Record<string, unknown>;
}

/** A custom profile attribute (`gatehouse profile-schema add`): the registration form shows it, claims carry it. */
export interface ProfileAttribute {
  name: string;
  label: string;
  required: boolean;
  maxLength: number;
  /** Allowed values, when the attribute is a choice. */
  enum: string[] | null;
  createdAt: number;
}

export interface ProfileSchemaStore {
  list(): Promise<ProfileAttribute[]>;
  /** False when the name is taken. */
  add(a: ProfileAttribute): Promise<boolean>;
}

export interface LockoutPolicy {
  maxAttempts: number;
  durationSeconds: number;
}

export interface PasswordPolicy {
  minLength: number;
  excludeUsername: boolean;
}

export interface OrgPolicy {
  lockout: LockoutPolicy;
  password: PasswordPolicy;
  /** Org-level authenticator status; a missing key is ACTIVE (`gatehouse authenticator enable|disable`). */
  authenticators?: Partial<Record<AuthenticatorKey, 'ACTIVE' | 'INACTIVE'>>;
  /** Self-service registration (off unless set) and whether it verifies the email first (required by default). */
  registration?: { enabled: boolean; emailVerification: 'required' | 'off' };
  /** Self-service unlock (off unless set). */
  selfServiceUnlock?: boolean;
}

export type RefreshOutcome =
  | { kind: 'rotated'; grant: Grant }
  /** A rotated (already used) token came back: the whole family was revoked. */
  | { kind: 'reused'; grantId: string }
  | { kind: 'invalid' };

export type RedeemOutcome =
  | { kind: 'redeemed'; code: OneTimeCode; grant: Grant }
  /** The code was used before: the grant it bought has been revoked. */
  | { kind: 'replayed'; grantId: string | null }
  | { kind: 'invalid' };

export interface NewGrantParts {
  grantId: string;
  refreshToken: RefreshToken | null;
}

export interface UserStore {
  create(u: Omit<User, 'failedAttempts' | 'lockedUntil' | 'updatedAt'>): Promise<User>;
  findById(id: string): Promise<User | null>;
  /** Login or email, without regard to case. */
  findByLogin(login: string): Promise<User | null>;
  list(): Promise<User[]>;
  setStatus(id: string, status: UserStatus, now: number): Promise<boolean>;
  /** Replaces the user's custom profile values. */
  setProfileValues(id: string, profile: Record<string, string>, now: number): Promise<boolean>;
  setPasswordHash(id: string, hash: string, now: number): Promise<void>;
  /**
   * Counts one failed secret in its own committed write, shared by every path that checks a secret.
   * Locks the user for `policy.durationSeconds` once `maxAttempts` is reached.
   */
  recordFailure(id: string, now: number, policy: LockoutPolicy): Promise<{ failedAttempts: number; lockedUntil: number | null; justLocked: boolean }>;
  /** Resets the counter only if the user is not locked at `now`; false means locked (refuse the sign-in). */
  recordSuccess(id: string, now: number): Promise<boolean>;
  unlock(id: string, now: number): Promise<boolean>;
  /** One page of users in (created, id) order, with the management API's status; see `DirectoryQuery`. */
  page(q: DirectoryQuery): Promise<Page<DirectoryUser>>;
  /** Replaces login, email, names and locale (and the email enrollment's address); false if no such user. */
  updateProfile(id: string, p: Pick<User, 'login' | 'email' | 'firstName' | 'lastName' | 'locale'>, now: number): Promise<boolean>;
  setPasswordExpired(id: string, expired: boolean, now: number): Promise<boolean>;
  /** Deletes a DEPROVISIONED user and everything that hangs off them; false for any other status. */
  delete(id: string): Promise<boolean>;
}

export interface AppStore {
  create(a: App): Promise<App>;
  findByClientId(clientId: string): Promise<App | null>;
  list(): Promise<App[]>;
  /** Replaces the app's settings and secret hash (the client id and type never change); false if no such app. */
  update(a: App): Promise<boolean>;
  /** Like `findByClientId`, INACTIVE apps included: for administration only. */
  findAnyByClientId(clientId: string): Promise<App | null>;
  setStatus(clientId: string, status: 'ACTIVE' | 'INACTIVE'): Promise<boolean>;
  /** Deletes an INACTIVE app; false for an active or unknown one. */
  delete(clientId: string): Promise<boolean>;
}

export interface OriginStore {
  isTrusted(origin: string): Promise<boolean>;
  add(origin: string, now: number): Promise<void>;
  list(): Promise<string[]>;
  /** False when the origin was not trusted. */
  remove(origin: string): Promise<boolean>;
}

export interface AuthServerStore {
  findById(id: string): Promise<AuthServer | null>;
  list(): Promise<AuthServer[]>;
  /** False when the id or the issuer path is taken. */
  create(s: AuthServer): Promise<boolean>;
}

export interface KeyStore {
  list(): Promise<SigningKey[]>;
  /** A cheap value that changes whenever the key set changes, so servers reload keys made by the CLI. */
  generation(): Promise<number>;
  /**
   * Ensures there is an active and a next key, creating them with `make` if missing. Runs in one write
   * transaction so two instances starting at once on an empty database create exactly one active key.
   */
  ensure(now: number, make: () => Promise<SigningKey>): Promise<void>;
  /** next -> active, active -> retired (kept until removeAfter), a new next from `make`. */
  rotate(now: number, removeAfter: number, next: SigningKey): Promise<void>;
}

export interface TransactionStore {
  create(tx: Transaction): Promise<void>;
  findByStateHandle(hash: string, now: number): Promise<Transaction | null>;
  findByInteractionHandle(hash: string, now: number): Promise<Transaction | null>;
  /** Optimistic concurrency: false when another request advanced the transaction first. */
  update(tx: Transaction, expectedVersion: number): Promise<boolean>;
  /**
   * Advances the transaction to success and stores the one-time code, and the IdP session it opens when
   * given, atomically: a code never exists without its session, nor a session without its code.
   */
  completeWithCode(tx: Transaction, expectedVersion: number, code: OneTimeCode, session?: IdpSession): Promise<boolean>;
}

export interface CodeStore {
  create(code: OneTimeCode): Promise<void>;
  /**
   * Consumes the code (conditional update, row count checked) and writes the grant and refresh token it
   * buys, in one transaction. A second redemption revokes that grant.
   */
  redeem(codeHash: string, kind: CodeKind, now: number, parts: (code: OneTimeCode) => NewGrantParts | null): Promise<RedeemOutcome>;
}

export interface TokenStore {
  createGrant(g: Grant, refresh: RefreshToken | null): Promise<void>;
  findGrant(id: string): Promise<Grant | null>;
  revokeGrant(id: string, now: number): Promise<void>;
  findRefreshToken(hash: string, now: number): Promise<(RefreshToken & { consumedAt: number | null; grant: Grant }) | null>;
  rotateRefreshToken(hash: string, now: number, next: RefreshToken): Promise<RefreshOutcome>;
  /**
   * Records `jti` as used/revoked until `expiresAt`. True only for the call that recorded it, so a one-time
   * value (a client assertion) is claimed atomically by an insert whose row count is checked.
   */
  revokeJti(jti: string, expiresAt: number, now: number): Promise<boolean>;
  isJtiRevoked(jti: string): Promise<boolean>;
  /** Revokes every live grant of the user (their refresh tokens die with them): "sign me out everywhere". */
  revokeGrantsForUser(userId: string, now: number): Promise<void>;
}

export interface SessionStore {
  create(s: IdpSession): Promise<void>;
  findByIdHash(idHash: string, now: number): Promise<IdpSession | null>;
  revoke(id: string, now: number): Promise<void>;
  revokeForUser(userId: string, now: number): Promise<void>;
}

export interface EventStore {
  /** Writes the event; its id (the System Log's and an event hook's uuid derive from it). */
  append(e: AuditEvent): Promise<number>;
  list(opts: { limit: number; type?: string; userId?: string }): Promise<AuditEvent[]>;
  /** Events with since <= at < until, in id order (oldest first unless `descending`), after the cursor. */
  page(q: { where?: Condition<EventAttr>; since: number; until: number; after?: string; limit: number; descending?: boolean }): Promise<Page<AuditEvent>>;
}

export interface RateLimitStore {
  /**
   * Counts one hit in `bucket` for the window starting at `windowStart` (a new window starts again at 1) and
   * returns the count including this hit. One atomic upsert, so concurrent hits are all counted.
   */
  hit(bucket: string, windowStart: number): Promise<number>;
}

export interface PolicyStore {
  get(): Promise<OrgPolicy>;
  set(p: OrgPolicy): Promise<void>;
}

/** How the hosted page and the widget look; null = fall back (an app's to the org's, the org's to the built-in). */
export interface Brand {
  name: string | null;
  logoUrl: string | null;
  /** `#rgb` or `#rrggbb`. */
  primaryColor: string | null;
  background: string | null;
}

export interface BrandStore {
  /** The org's default (`clientId` null) or one app's override, exactly as stored; null when never set. */
  get(clientId: string | null): Promise<Brand | null>;
  /** Replaces the org's default or one app's override. */
  set(clientId: string | null, brand: Brand, now: number): Promise<void>;
}

// --- The management API (issue 11) ---------------------------------------------------------------------------------

/**
 * A parsed filter or search expression (admin-api/expression.ts). Attributes are a closed set per kind; values are
 * already typed (dates as epoch milliseconds). The store compiles it to parameterised SQL (store/sql/conditions.ts).
 */
export type Condition<A extends string> =
  | { op: 'and' | 'or'; terms: Condition<A>[] }
  | { op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sw' | 'co'; attr: A; value: string | number }
  | { op: 'in'; attr: A; values: string[] }
  | { op: 'pr'; attr: A };

export type UserAttr = 'id' | 'status' | 'created' | 'activated' | 'statusChanged' | 'lastLogin' | 'lastUpdated' | 'passwordChanged'
  | 'profile.login' | 'profile.email' | 'profile.firstName' | 'profile.lastName' | 'profile.locale';
export type GroupAttr = 'id' | 'created' | 'lastUpdated' | 'lastMembershipUpdated' | 'profile.name' | 'profile.description';
export type EventAttr = 'type' | 'userId' | 'clientId' | 'actorId';

/** Okta's user statuses: the stored ones, and those derived from the credentials (no password, a reset under way, expired). */
export type ApiUserStatus = UserStatus | 'PROVISIONED' | 'RECOVERY' | 'PASSWORD_EXPIRED';
export interface DirectoryUser extends User {
  apiStatus: ApiUserStatus;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null on the last page. */
  next: string | null;
}

export interface DirectoryQuery {
  where?: Condition<UserAttr>;
  /** Only members of this group. */
  groupId?: string;
  after?: string;
  limit: number;
  /** For LOCKED_OUT, which depends on the time. */
  now: number;
}

export interface Group {
  id: string;
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
  membershipUpdatedAt: number;
}

export interface GroupStore {
  /** False when a group with that name (without regard to case) exists. */
  create(g: Group): Promise<boolean>;
  findById(id: string): Promise<Group | null>;
  page(q: { where?: Condition<GroupAttr>; after?: string; limit: number }): Promise<Page<Group>>;
  /** 'conflict' when another group has the name. */
  update(id: string, p: { name: string; description: string }, now: number): Promise<'updated' | 'missing' | 'conflict'>;
  delete(id: string): Promise<boolean>;
  /** Idempotent; false only when the group or the user does not exist. */
  addMember(groupId: string, userId: string, now: number): Promise<boolean>;
  removeMember(groupId: string, userId: string, now: number): Promise<void>;
  listForUser(userId: string): Promise<Group[]>;
}

export interface ApiToken {
  id: string;
  name: string;
  tokenHash: string;
  readOnly: boolean;
  createdAt: number;
  revokedAt: number | null;
}

export interface ApiTokenStore {
  create(t: ApiToken): Promise<void>;
  /** The live (not revoked) token with this hash. */
  findByHash(hash: string): Promise<ApiToken | null>;
  list(): Promise<ApiToken[]>;
  /** False when unknown or already revoked. */
  revoke(id: string, now: number): Promise<boolean>;
}

/** An event hook (`gatehouse event-hook create`, /api/v1/eventHooks): where matching events are POSTed in batches. */
export interface EventHook {
  id: string;
  name: string;
  url: string;
  /** The header that carries the secret (Okta's authScheme key), `Authorization` by default. */
  authHeader: string;
  /** The header's value sealed under the key vault (it must be sent, so it cannot be hashed); null = none. */
  authValueSealed: string | null;
  /** Okta eventTypes subscribed to. */
  events: string[];
  status: 'ACTIVE' | 'INACTIVE';
  /** Okta's one-time verification (X-Okta-Verification-Challenge); only VERIFIED hooks get events. */
  verificationStatus: 'UNVERIFIED' | 'VERIFIED';
  createdAt: number;
  updatedAt: number;
  lastDeliveryAt: number | null;
  lastAttemptAt: number | null;
  lastError: string | null;
  /** Failed attempts since the last delivery. */
  failures: number;
  /** Events delivered, ever. */
  delivered: number;
  /** Events waiting in the queue (filled by list and findById). */
  pending: number;
}

/** Queue rows claimed under one lease: one hook's batch, with the events they carry (oldest first). */
export interface HookBatch {
  hook: EventHook;
  /** The queue rows' ids: what complete/fail/release name. */
  ids: number[];
  /** The most attempts any row of the batch has had (before this one). */
  attempts: number;
  events: AuditEvent[];
}

export interface EventHookStore {
  /** `types` are the stored event types it receives (Okta's names and ours that map to them). */
  create(h: Omit<EventHook, 'pending'>, types: string[]): Promise<void>;
  findById(id: string): Promise<EventHook | null>;
  list(): Promise<EventHook[]>;
  setStatus(id: string, status: EventHook['status'], now: number): Promise<boolean>;
  setVerified(id: string, now: number): Promise<boolean>;
  /** Only an INACTIVE hook is deleted (as Okta), with its queue. */
  delete(id: string): Promise<boolean>;
  /** Queues the event for every ACTIVE, VERIFIED hook that receives its type; how many rows were queued. One statement. */
  enqueue(eventId: number, type: string, now: number): Promise<number>;
  /**
   * Leases up to `limit` due rows of one hook that has no other live lease, until now + leaseMs, for `owner`. One
   * conditional UPDATE: concurrent claimers (other instances) never get the same row while its lease lives.
   */
  claim(owner: string, now: number, leaseMs: number, limit: number): Promise<HookBatch | null>;
  /** Delivered: deletes the rows `owner` still holds and records the delivery; how many were deleted. */
  complete(batch: HookBatch, owner: string, now: number): Promise<number>;
  /** Not delivered: the rows go back to the queue, due at `retryAt`, one attempt more; the failure is recorded. */
  fail(batch: HookBatch, owner: string, now: number, retryAt: number, error: string): Promise<void>;
  /** Handed back unattempted (shutting down): due again at once, no attempt counted. */
  release(batch: HookBatch, owner: string): Promise<void>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  users: UserStore;
  apps: AppStore;
  origins: OriginStore;
  servers: AuthServerStore;
  keys: KeyStore;
  transactions: TransactionStore;
  codes: CodeStore;
  tokens: TokenStore;
  sessions: SessionStore;
  events: EventStore;
  policies: PolicyStore;
  brands: BrandStore;
  rateLimits: RateLimitStore;
  enrollments: EnrollmentStore;
  profileSchema: ProfileSchemaStore;
  recoveryTokens: RecoveryTokenStore;
  groups: GroupStore;
  apiTokens: ApiTokenStore;
  eventHooks: EventHookStore;
  /** Throws StoreUnavailable when the database does not answer. */
  ping(): Promise<void>;
  /** Deletes what expired long enough ago that no answer depends on it any more; returns rows removed. */
  sweep(now: number): Promise<number>;
  close(): Promise<void>;
}
