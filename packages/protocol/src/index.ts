export * from './idx.js';
export * from './oauth.js';
