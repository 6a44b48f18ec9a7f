/*
 * Why not @actions/exec (v3), as first planned: its `exec` and `getExecOutput` spawn the child
 * inside `ToolRunner.exec()` and never hand it out (the promise resolves with the exit code only),
 * `ExecOptions` has no timeout, signal or `detached` option (`_getSpawnOptions` passes on cwd, env
 * and windowsVerbatimArguments only), and its one timer (`delay`) only waits for stdio to close
 * after the exit. So neither the time limit nor cancellation could kill the command, let alone the
 * processes it starts. It also reports a death by signal as exit code null. Hence
 * node:child_process `spawn`, in its own process group, killed as a group: {@link ProcessGroup}
 * (process-group.ts) does that, and this file only decides when, and what the ending means.
 */
import { formatDuration } from '../core/duration.js';
import { systemClock, type Clock } from '../core/clock.js';
import { NO_FINDINGS, type PreflightFindings } from '../core/findings.js';
import { capText } from '../core/text.js';
import { MAX_HOOK_RESPONSE_CHARS } from './lambda-hook.js';
import type { HookOutcome, HookPayload, TrafficHook } from './traffic-hook.js';
import { CommandOutput, neutraliseLegacyCommands } from './command-output.js';
import { ProcessGroup, type Exit } from './process-group.js';
import { findOnPath, shellInvocation } from './shell.js';

/** After SIGTERM, the command's processes get this long before SIGKILL. */
export const KILL_GRACE_MS = 2000;
/** The last output line quoted in a failure reason is capped to this size. */
export const MAX_REASON_LINE_CHARS = 300;
/** setTimeout fires at once beyond 2^31-1 ms (24.8 days); the input allows far less anyway. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface CommandTrafficHookOptions {
  /** The shell command, as the user wrote it. */
  readonly command: string;
  /** Time limit of the command (and everything it starts), on {@link timer}. */
  readonly timeoutMs: number;
  /** Measures `durationMs` only. */
  readonly clock: Clock;
  /** Receives each output line, already prefixed and neutralised. */
  readonly log: (line: string) => void;
  /** Shell executable to use instead of the platform default (bash, sh, pwsh, cmd…). */
  readonly shell?: string;
  /** Time between SIGTERM and SIGKILL; default {@link KILL_GRACE_MS}. */
  readonly killGraceMs?: number;
  /**
   * What the time limit, the grace period and the process group's other bounded waits run on:
   * real time ({@link systemClock}) unless given. Not `clock`, which may be the rollout's fake one
   * that jumps whenever the code looks idle: a command running on the real machine looks idle to it.
   * Tests pass a clock they move by hand.
   */
  readonly timer?: Clock;
}

/**
 * The runner's environment without the action's own inputs: they are not the command's business,
 * and one of them (INPUT_GITHUB-TOKEN) is a credential.
 */
export function inheritedEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.toUpperCase().startsWith('INPUT_')));
}

/**
 * The deployment's facts as environment variables of a command hook, the counterpart of a Lambda
 * hook's JSON payload. Values are never undefined: the previous version is '' on a first deployment.
 */
export function commandEnvironment(payload: HookPayload): Record<string, string> {
  return {
    LSD_DEPLOYMENT_ID: payload.deploymentId,
    LSD_LIFECYCLE_EVENT: payload.lifecycleEvent,
    LSD_FUNCTION_NAME: payload.functionName,
    LSD_FUNCTION_ARN: payload.functionArn,
    LSD_ALIAS: payload.alias,
    LSD_ALIAS_ARN: payload.aliasArn,
    LSD_TARGET_VERSION: payload.targetVersion,
    LSD_TARGET_VERSION_ARN: payload.targetVersionArn,
    LSD_PREVIOUS_VERSION: payload.currentVersion ?? '',
    LSD_PREVIOUS_VERSION_ARN: payload.currentVersionArn ?? '',
    LSD_STRATEGY: payload.strategy,
    // Every function of the rollout, as JSON: a command runs once for all of them.
    LSD_FUNCTIONS: JSON.stringify(payload.functions ?? [])
  };
}

/** How a run of the command ended, before it is judged. */
type Ending =
  | { readonly kind: 'exited'; readonly exit: Exit }
  | { readonly kind: 'timed-out' }
  | { readonly kind: 'cancelled'; readonly reason: unknown }
  | { readonly kind: 'not-started'; readonly error: string };

type Verdict = { readonly passed: true } | { readonly passed: false; readonly reason: string };

/**
 * A shell command run on the runner as a traffic hook. Exit code 0 passes; anything else fails, as
 * does running past the time limit. Its output goes to the log line by line, and the last
 * {@link MAX_HOOK_RESPONSE_CHARS} characters are kept as the outcome's response. When it ends (by
 * itself, at the time limit, or on cancellation) no process it started is left running: it runs in
 * its own process group, which gets SIGTERM and, {@link KILL_GRACE_MS} later, SIGKILL.
 */
export class CommandTrafficHook implements TrafficHook {
  readonly label: string;

  constructor(private readonly options: CommandTrafficHookOptions) {
    const oneLine = options.command.replace(/\s+/g, ' ').trim();
    this.label = `command:${oneLine.length > 60 ? `${oneLine.slice(0, 60)}…` : oneLine}`;
  }

  /** Nothing to read before the deployment: the shell is found when the command runs. */
  async preflight(): Promise<PreflightFindings> {
    return NO_FINDINGS;
  }

  async run(payload: HookPayload, signal?: AbortSignal): Promise<HookOutcome> {
    if (signal?.aborted) throw cancelled(signal.reason);
    const started = this.options.clock.now();
    const output = new CommandOutput(this.options.log, MAX_HOOK_RESPONSE_CHARS);
    const ending = await this.runToEnd(payload, output, signal);
    if (ending.kind === 'cancelled') throw cancelled(ending.reason);
    return {
      hook: this.label,
      event: payload.lifecycleEvent,
      ...this.verdict(ending, output.lastLine),
      response: output.response,
      durationMs: this.options.clock.now() - started
    };
  }

  /** Starts the command, waits for its first ending, then stops whatever is left of it. */
  private async runToEnd(payload: HookPayload, output: CommandOutput, signal?: AbortSignal): Promise<Ending> {
    let group: ProcessGroup;
    try {
      group = await this.start(payload);
    } catch (error: unknown) {
      return { kind: 'not-started', error: errorText(error) };
    }
    output.read(group.stdout);
    output.read(group.stderr);
    const ending = await this.firstEnding(group, signal);
    // Also after a clean exit: what the command left running in the background goes with it.
    await group.stop(this.options.killGraceMs ?? KILL_GRACE_MS);
    // A cancellation that came while the leftovers were being stopped wins too.
    return signal?.aborted ? { kind: 'cancelled', reason: signal.reason } : ending;
  }

  private start(payload: HookPayload): Promise<ProcessGroup> {
    const { command, shell } = this.options;
    const invocation = shellInvocation(command, {
      platform: process.platform,
      shell,
      bashPath: shell === undefined && process.platform !== 'win32' ? findOnPath('bash') : undefined,
      comSpec: process.env.ComSpec
    });
    const env = { ...inheritedEnvironment(process.env), ...commandEnvironment(payload) };
    return ProcessGroup.start(invocation, { env, clock: this.options.timer });
  }

  /** Whichever comes first: the command's exit, its time limit, or cancellation. */
  private async firstEnding(group: ProcessGroup, signal?: AbortSignal): Promise<Ending> {
    const decided = new AbortController(); // disarms the time limit and the cancellation listener
    try {
      return await Promise.race([
        group.exited.then((exit): Ending => ({ kind: 'exited', exit })),
        this.timeLimit(decided.signal),
        cancellation(signal, decided.signal)
      ]);
    } finally {
      decided.abort();
    }
  }

  private async timeLimit(disarm: AbortSignal): Promise<Ending> {
    const timer = this.options.timer ?? systemClock;
    await timer.sleepUntil(timer.now() + Math.min(this.options.timeoutMs, MAX_TIMER_MS), disarm);
    return { kind: 'timed-out' };
  }

  private verdict(ending: Exclude<Ending, { kind: 'cancelled' }>, lastLine: string): Verdict {
    switch (ending.kind) {
      case 'not-started':
        return failed(`the command could not be started: ${ending.error}`);
      case 'timed-out':
        return failed(`the command did not finish within ${formatDuration(this.options.timeoutMs)}`);
      case 'exited':
        return exitVerdict(ending.exit, lastLine);
    }
  }
}

/** Resolves when `signal` fires (at once if it has); never if it is absent or `disarm` fires first. */
function cancellation(signal: AbortSignal | undefined, disarm: AbortSignal): Promise<Ending> {
  return new Promise((resolve) => {
    if (!signal) return;
    const onAbort = (): void => resolve({ kind: 'cancelled', reason: signal.reason });
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    disarm.addEventListener('abort', () => signal.removeEventListener('abort', onAbort), { once: true });
  });
}

function exitVerdict(exit: Exit, lastLine: string): Verdict {
  const quoted = lastLine === '' ? '' : `: ${neutraliseLegacyCommands(capText(lastLine, MAX_REASON_LINE_CHARS))}`;
  if (exit.code === 0) return { passed: true };
  if (exit.signal) return failed(`the command was killed by signal ${exit.signal}${quoted}`);
  return failed(`the command exited with code ${exit.code ?? 'unknown'}${quoted}`);
}

function failed(reason: string): Verdict {
  return { passed: false, reason };
}

/** Cancellation, shaped as the engine and the clock report it (see `isAbort`). */
function cancelled(reason: unknown): Error {
  const error = new Error(`the command was stopped: cancelled (${String(reason ?? 'aborted')})`, { cause: reason });
  error.name = 'AbortError';
  return error;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
