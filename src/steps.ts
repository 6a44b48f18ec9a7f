/**
 * Both steps, bundled once (dist/steps/index.js): the entry files (index.ts, post.ts) load this
 * bundle only when they have work, so that it is shipped once and a post step with nothing to do
 * never loads it.
 */
export { runMain } from './main.js';
export { runCleanup } from './cleanup.js';
