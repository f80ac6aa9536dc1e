// @gatehouse/sdk: the seed's IdxClient and the plain functions under it. Types of the wire shapes come
// from @gatehouse/protocol (type-only); the only runtime dependency is jose.
export { IdxClient } from './client.js';
export { resolveConfig, endpointsFor, type IdxClientOptions, type GatehouseConfig, type Endpoints } from './config.js';
export { GatehouseError, errorFromResponse, type GatehouseErrorCode, type GatehouseErrorDetails } from './errors.js';
export { startInteraction, interact, type SignInContext, type WidgetConfig } from './interact.js';
export {
  redeemInteractionCode, refreshTokens, postToken, checkCallback, handleCallback,
  type TokenSet, type RefreshedTokenSet, type CallbackParams,
} from './redeem.js';
export { getUserInfo, type UserInfo } from './userinfo.js';
export { revoke, logoutUrl } from './sign-out.js';
export { verifyIdToken, verifyAccessToken, verifyJwt, type JwtExpectations } from './verify.js';
export { getDiscovery, getKeySet, type Discovery } from './discovery.js';
export {
  authenticate, proceed, fillForm, describeStep,
  type AuthenticateResult, type IdxTransaction, type NextStep, type StepInput, type StepValues,
} from './headless.js';
export { createPkce, s256Challenge, randomToken } from './pkce.js';
export type { Fetch } from './http.js';
