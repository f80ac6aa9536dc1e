// Okta's API error object for the management API (errorCode, errorSummary, errorLink, errorId, errorCauses). One
// class with a constructor per meaning; the transport (http/api-routes.ts) serialises it, adding the errorId.
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(readonly status: number, readonly code: string, readonly summary: string, readonly causes: string[] = [], readonly headers: Record<string, string> = {}) {
    super(`${code} ${summary}`);
  }
}

export const invalidToken = () => new ApiError(401, 'E0000011', 'Invalid token provided');
export const forbidden = () => new ApiError(403, 'E0000006', 'You do not have permission to perform the requested action');
export const notFound = (what: string) => new ApiError(404, 'E0000007', `Not found: Resource not found: ${what}`);
export const methodNotAllowed = () => new ApiError(405, 'E0000022', 'The endpoint does not support the provided HTTP method');
export const malformedBody = (why = 'The request body was not well-formed.') => new ApiError(400, 'E0000003', why);
/** Validation: each cause names its field, as Okta's do (`login: An object with this field already exists…`). */
export const invalidField = (field: string, why: string) => new ApiError(400, 'E0000001', `Api validation failed: ${field}`, [`${field}: ${why}`]);
export const alreadyExists = (field: string) => invalidField(field, 'An object with this field already exists in the current organization');
export const invalidSearch = (why: string) => new ApiError(400, 'E0000031', 'Invalid search criteria.', [why]);
export const notAllowedNow = (why: string) => new ApiError(403, 'E0000038', "This operation is not allowed in the user's current status.", [why]);
export const rateLimited = (headers: Record<string, string>) => new ApiError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.', [], headers);
