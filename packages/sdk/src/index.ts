export { IdxClient, type IdxClientOptions, type SignInContext, type WidgetConfig, type IdxTransaction, type AuthenticateResult, type CallbackParams } from './client.js';
export { GatehouseError, type GatehouseErrorCode } from './errors.js';
export type { TokenSet } from './tokens.js';
export type { NextStep, StepInput } from './headless.js';
export { createPkce, challengeOf } from './pkce.js';
export { urlsFor } from './urls.js';
