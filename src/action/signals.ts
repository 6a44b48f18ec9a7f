import { setMaxListeners } from 'node:events';
/**
 * The runner cancels with SIGINT, then SIGTERM 7.5 s later: either aborts the deployment, whose
 * waits and calls stop at once so that the rollback can run.
 */
export function cancelOnSignals(warn: (message: string) => void): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  // Every call in flight listens to it: the preflight's reads run side by side, and probes beside the polls.
  setMaxListeners(100, controller.signal);
  const onSignal = (name: NodeJS.Signals): void => {
    warn(`Received ${name}: cancelling the deployment and rolling back`);
    controller.abort(name);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const name of signals) process.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of signals) process.off(name, onSignal);
    }
  };
}
