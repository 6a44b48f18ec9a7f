/*
 * Why not @actions/exec (v3), as first planned: its `exec` and `getExecOutput` spawn the child
 * inside `ToolRunner.exec()` and never hand it out (the promise resolves with the exit code only),
 * `ExecOptions` has no timeout, signal or `detached` option (`_getSpawnOptions` passes on cwd, env
 * and windowsVerbatimArguments only), and its one timer (`delay`) only waits for stdio to close
 * after the exit. So neither the time limit nor cancellation could kill the command, let alone the
 * processes it starts. It also reports a death by signal as exit code null. Hence
 * node:child_process `spawn`, in its own process group, killed as a group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { formatDuration } from '../core/duration.js';
import type { Clock } from '../core/clock.js';
import { NO_FINDINGS, type PreflightFindings } from '../core/findings.js';
import { capText } from '../core/text.js';
import { MAX_HOOK_RESPONSE_CHARS } from './lambda-hook.js';
import type { HookOutcome, HookPayload, TrafficHook } from './traffic-hook.js';
import { forwardedLine, LineSplitter, neutraliseLegacyCommands, OutputTail } from './command-output.js';
import { processGroupAlive } from './process-group.js';
import { findOnPath, shellInvocation } from './shell.js';

/** After SIGTERM, the command's processes get this long before SIGKILL. */
export const KILL_GRACE_MS = 2000;
/** The last output line quoted in a failure reason is capped to this size. */
export const MAX_REASON_LINE_CHARS = 300;
/** After the shell exits, its output streams get this long to close before they are cut. */
const DRAIN_MS = 2000;
/** Once SIGKILL is sent, how long to wait for the processes to be gone before settling. */
const REAP_WAIT_MS = 500;
const POLL_MS = 25;

export interface CommandTrafficHookOptions {
  /** The shell command, as the user wrote it. */
  readonly command: string;
  /** Time limit of the command (and everything it starts). Real time, not the injected clock. */
  readonly timeoutMs: number;
  /** Measures `durationMs` only. */
  readonly clock: Clock;
  /** Receives each output line, already prefixed and neutralised. */
  readonly log: (line: string) => void;
  /** Shell executable to use instead of the platform default (bash, sh, pwsh, cmd…). */
  readonly shell?: string;
  /** Time between SIGTERM and SIGKILL; default {@link KILL_GRACE_MS}. Shorter in tests. */
  readonly killGraceMs?: number;
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
    LSD_STRATEGY: payload.strategy
  };
}

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
    const { clock } = this.options;
    const started = clock.now();
    const result = await this.execute(payload, signal);
    if (result.kind === 'cancelled') throw cancelled(result.reason);
    return {
      hook: this.label,
      event: payload.lifecycleEvent,
      ...result.verdict,
      response: result.response,
      durationMs: clock.now() - started
    };
  }

  private execute(payload: HookPayload, signal?: AbortSignal): Promise<RunResult> {
    const { command, timeoutMs, log, shell, killGraceMs = KILL_GRACE_MS } = this.options;
    const invocation = shellInvocation(command, {
      platform: process.platform,
      shell,
      bashPath: shell === undefined && process.platform !== 'win32' ? findOnPath('bash') : undefined,
      comSpec: process.env.ComSpec
    });
    const posix = process.platform !== 'win32';
    const output = new OutputTail(MAX_HOOK_RESPONSE_CHARS);
    let lastLine = '';
    const forward = (line: string): void => {
      if (line.trim() !== '') lastLine = line.trim();
      try {
        log(forwardedLine(line));
      } catch {
        // A failing logger must not leave the command running unobserved.
      }
    };

    return new Promise<RunResult>((resolve) => {
      let child: ChildProcess;
      try {
        child = spawn(invocation.file, [...invocation.args], {
          env: { ...inheritedEnvironment(process.env), ...commandEnvironment(payload) },
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: posix,
          windowsHide: true,
          windowsVerbatimArguments: invocation.windowsVerbatimArguments
        });
      } catch (error: unknown) {
        resolve(failed(`the command could not be started: ${errorText(error)}`, ''));
        return;
      }

      const streams = [child.stdout, child.stderr].flatMap((stream) => (stream ? [stream] : []));
      for (const stream of streams) {
        const lines = new LineSplitter(forward);
        const decoder = new StringDecoder('utf8');
        stream.on('data', (chunk: Buffer) => {
          const text = decoder.write(chunk);
          output.append(text);
          lines.push(text);
        });
        stream.on('end', () => {
          const rest = decoder.end();
          output.append(rest);
          lines.push(rest);
          lines.flush();
        });
        stream.on('error', () => undefined);
      }

      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let closed = false;
      let stopReason: { kind: 'timeout' } | { kind: 'cancelled'; reason: unknown } | undefined;
      let stopping = false;
      let killSentAt: number | undefined;
      let settled = false;
      let startError: string | undefined;
      const timers: NodeJS.Timeout[] = [];
      const later = (ms: number, action: () => void): void => {
        timers.push(setTimeout(action, ms));
      };

      const groupAlive = (): boolean => posix && child.pid !== undefined && processGroupAlive(child.pid);
      const signalGroup = (sig: NodeJS.Signals): void => {
        if (child.pid === undefined) return;
        if (posix) {
          try {
            process.kill(-child.pid, sig);
          } catch {
            // ESRCH: the group is already gone.
          }
        } else if (exit === undefined) {
          // Windows has no process groups to signal: taskkill walks the tree (and always forces).
          const killer = spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
          killer.on('error', () => child.kill('SIGKILL'));
        }
      };
      const cutStreams = (): void => {
        for (const stream of streams) stream.destroy();
      };
      const stopTree = (): void => {
        if (stopping) return;
        stopping = true;
        signalGroup('SIGTERM');
        later(killGraceMs, () => {
          if (groupAlive() || exit === undefined) signalGroup('SIGKILL');
          killSentAt = Date.now();
          // Something outside the group (setsid) may still hold the pipes, or the shell may be stuck
          // where even SIGKILL waits (uninterruptible I/O): a hook must not hang the deployment.
          later(REAP_WAIT_MS + DRAIN_MS, () => {
            cutStreams();
            closed = true;
            settleWhenGone();
          });
          settleWhenGone();
        });
      };

      const settleWhenGone = (): void => {
        if (settled || !closed) return;
        const waitedEnough = killSentAt !== undefined && Date.now() - killSentAt >= REAP_WAIT_MS;
        if (stopping && groupAlive() && !waitedEnough) {
          later(POLL_MS, settleWhenGone);
          return;
        }
        settle();
      };
      const settle = (): void => {
        if (settled) return;
        settled = true;
        for (const timer of timers) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const response = output.text();
        if (stopReason?.kind === 'cancelled') return resolve({ kind: 'cancelled', reason: stopReason.reason });
        if (stopReason?.kind === 'timeout') {
          return resolve(failed(`the command did not finish within ${formatDuration(timeoutMs)}`, response));
        }
        if (startError !== undefined) return resolve(failed(`the command could not be started: ${startError}`, response));
        resolve(interpretExit(exit, lastLine, response));
      };

      const onAbort = (): void => {
        stopReason = { kind: 'cancelled', reason: signal?.reason };
        stopTree();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // setTimeout fires at once beyond 2^31-1 ms (24.8 days); the input allows far less anyway.
      later(Math.min(timeoutMs, 2 ** 31 - 1), () => {
        if (exit !== undefined || stopReason !== undefined) return;
        stopReason = { kind: 'timeout' };
        stopTree();
      });

      child.on('error', (error) => {
        // Only a failed start matters here: with no signalling or IPC, a started child emits none.
        if (child.pid !== undefined) return;
        startError = errorText(error);
        closed = true; // It never ran: there will be no exit, and maybe no close.
        settle();
      });
      child.on('exit', (code, sig) => {
        exit = { code, signal: sig };
        // Whatever it left running in the background goes with it.
        if (groupAlive()) stopTree();
        else later(DRAIN_MS, cutStreams);
      });
      child.on('close', (code, sig) => {
        exit ??= { code, signal: sig };
        closed = true;
        settleWhenGone();
      });
    });
  }
}

type RunResult =
  | { kind: 'done'; verdict: { passed: true } | { passed: false; reason: string }; response: string }
  | { kind: 'cancelled'; reason: unknown };

function failed(reason: string, response: string): RunResult {
  return { kind: 'done', verdict: { passed: false, reason }, response };
}

function interpretExit(
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined,
  lastLine: string,
  response: string
): RunResult {
  const quoted = lastLine === '' ? '' : `: ${neutraliseLegacyCommands(capText(lastLine, MAX_REASON_LINE_CHARS))}`;
  if (exit?.code === 0) return { kind: 'done', verdict: { passed: true }, response };
  if (exit?.signal) return failed(`the command was killed by signal ${exit.signal}${quoted}`, response);
  return failed(`the command exited with code ${exit?.code ?? 'unknown'}${quoted}`, response);
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

