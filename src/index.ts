/** The action's main step (bundled to dist/index.js). */
import { runMain } from './main.js';

await runMain();
