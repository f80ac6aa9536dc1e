// One error class with a string `code`, so callers `switch (err.code)`. When the server answered, its
// `error` / `error_description` (OAuth) or IDX `messages` are carried through unchanged.
import type { IdxMessage } from '@gatehouse/protocol';

export type GatehouseErrorCode = 'IDX_ERROR' | 'OAUTH_ERROR' | 'NETWORK_ERROR' | 'TOKEN_INVALID' | 'STATE_MISMATCH' | 'CONFIG_ERROR';

export class GatehouseError extends Error {
  override name = 'GatehouseError';
  /** HTTP status, when a server answered. */
  status?: number;
  /** OAuth `error`, for OAUTH_ERROR. */
  error?: string;
  /** OAuth `error_description`, for OAUTH_ERROR. */
  error_description?: string;
  /** IDX messages, for IDX_ERROR (e.g. `errors.E0000004` for a failed sign-in). */
  messages?: IdxMessage[];

  constructor(readonly code: GatehouseErrorCode, message: string, extra: Partial<Pick<GatehouseError, 'status' | 'error' | 'error_description' | 'messages'>> & { cause?: unknown } = {}) {
    super(message, extra.cause !== undefined ? { cause: extra.cause } : undefined);
    Object.assign(this, { status: extra.status, error: extra.error, error_description: extra.error_description, messages: extra.messages });
  }
}
