/** The action's main step (dist/index.js): loads both steps' bundle (see steps.ts) and runs main. */
const steps = (await import(/* webpackIgnore: true */ './steps/index.js' as string)) as typeof import('./steps.js');
await steps.runMain();
