// Public entry points of the gatehouse package.
export { startGatehouse, buildDeps, type Gatehouse, type StartOptions } from './app.js';
export { loadConfig, type Config } from './config.js';
export { openStore } from './store/open.js';
export type * from './store/interfaces.js';
export { createUser, createApp, AdminError, type NewUser, type NewApp } from './identity/admin.js';
export { createPasswords } from './identity/passwords.js';
export { createLogger } from './log.js';
