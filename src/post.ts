/** The action's post step (bundled to dist/post/index.js): the safety net after an interrupted run. */
import { runCleanup } from './cleanup.js';

await runCleanup();
