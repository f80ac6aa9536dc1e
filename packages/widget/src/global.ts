// The script build: defines window.GatehouseSignIn and window.OktaSignIn.
import { GatehouseSignIn } from './index.js';

const w = window as unknown as Record<string, unknown>;
w.GatehouseSignIn = GatehouseSignIn;
w.OktaSignIn ??= GatehouseSignIn;
