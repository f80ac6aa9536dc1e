// The relying party a WebAuthn ceremony runs for: the RP ID from the base URL (or GATEHOUSE_WEBAUTHN_RP_ID, a
// parent domain shared with the apps' pages), the brand as its name, and the origins a ceremony may come from
// (Gatehouse's own and the org's trusted origins, where embedded widgets run).
import type { Deps } from '../deps.js';
import type { Ceremony } from '../identity/authenticators/webauthn.js';

export const rpIdOf = (cfg: Deps['cfg']) => cfg.webauthnRpId ?? new URL(cfg.baseUrl).hostname;

export async function ceremonyFor(deps: Pick<Deps, 'cfg' | 'store'>): Promise<Ceremony> {
  const base = new URL(deps.cfg.baseUrl);
  return {
    rpId: rpIdOf(deps.cfg),
    rpName: deps.cfg.brandName,
    origins: [base.origin, ...(await deps.store.origins.list())],
  };
}
