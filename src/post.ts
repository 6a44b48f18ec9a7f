/**
 * The action's post step (dist/post/index.js), the safety net after an interrupted run. Most runs
 * end cleanly: the saved state says so, and the step ends without loading the bundle (see steps.ts).
 */
import { savedState } from './action/state.js';

const idle = savedState.nothingToCleanUp();
if (idle !== undefined)
  process.stdout.write(`${idle}\n`); // as core.info writes it
else await ((await import(/* webpackIgnore: true */ '../steps/index.js' as string)) as typeof import('./steps.js')).runCleanup();
