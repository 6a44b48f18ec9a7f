import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { systemClock, type Clock } from '../core/clock.js';
import type { ShellInvocation } from './shell.js';

/** Once SIGKILL is sent, how long the group gets to be gone before stop() stops waiting for it. */
export const REAP_WAIT_MS = 500;
/** Once the group is gone (or given up on), how long its output streams get to close before they are cut. */
export const DRAIN_MS = 2000;
/** How often liveness is checked while waiting for the group to go. Only latency depends on it. */
const POLL_MS = 25;

const POSIX = process.platform !== 'win32';

/** How the group's leader (the process started) ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ProcessGroupOptions {
  readonly env: NodeJS.ProcessEnv;
  /**
   * The bounds of stop(): the grace period, the wait for reaping, the wait for the output to drain.
   * Real time by default; tests pass a clock they move by hand.
   */
  readonly clock?: Clock;
}

/**
 * A command started in a process group of its own (POSIX; on Windows, its process tree), so that
 * everything it starts can be signalled and stopped with it. stdin is closed; stdout and stderr are
 * pipes, for the caller to read.
 */
export class ProcessGroup {
  /** Resolves when the process started (the group's leader) has exited. */
  readonly exited: Promise<Exit>;
  readonly stdout: Readable;
  readonly stderr: Readable;
  private exit?: Exit;
  private readonly streamsClosed: Promise<void>;
  private stopping?: Promise<void>;

  /** Spawns `command`; resolves once it runs, rejects when it cannot be started (ENOENT, EACCES…). */
  static start(command: ShellInvocation, options: ProcessGroupOptions): Promise<ProcessGroup> {
    return new Promise((resolve, reject) => {
      // A synchronous throw (invalid arguments) rejects this promise too.
      const child = spawn(command.file, [...command.args], {
        env: options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: POSIX,
        windowsHide: true,
        windowsVerbatimArguments: command.windowsVerbatimArguments
      });
      const group = new ProcessGroup(child, options.clock ?? systemClock);
      child.once('spawn', () => resolve(group));
      // Only a failed start emits 'error' before 'spawn'; later rejections are no-ops.
      child.once('error', reject);
    });
  }

  private constructor(
    private readonly child: ChildProcess,
    private readonly clock: Clock
  ) {
    if (!child.stdout || !child.stderr) throw new Error('spawn gave no output pipes');
    this.stdout = child.stdout;
    this.stderr = child.stderr;
    // With no IPC, a started child emits 'error' only when signalling it fails: nothing to act on.
    child.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    this.streamsClosed = Promise.all([closed(this.stdout), closed(this.stderr)]).then(() => undefined);
  }

  /** The group's id (the leader's pid). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Whether anything in the group still runs. Zombies do not count (see {@link processGroupAlive}).
   * Windows has no process groups: there it is whether the command has not exited.
   */
  alive(): boolean {
    if (!POSIX) return this.exit === undefined;
    return this.child.pid !== undefined && processGroupAlive(this.child.pid);
  }

  /** Sends `sig` to every process of the group. On Windows any signal forcibly ends the process tree. */
  signal(sig: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    if (POSIX) {
      try {
        process.kill(-pid, sig);
      } catch {
        // ESRCH: the group is already gone.
      }
    } else if (this.exit === undefined) {
      // Windows has no process groups to signal: taskkill walks the tree (and always forces).
      const killer = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
      killer.on('error', () => this.child.kill('SIGKILL'));
    }
  }

  /**
   * Leaves nothing of the group running, then lets its output drain. SIGTERM to the group, and
   * SIGKILL if anything in it outlives `graceMs`; no signal at all if it is already gone. Resolves
   * once the group is gone and its output streams are closed, within bounds: a process even SIGKILL
   * cannot end at once (uninterruptible I/O) gets {@link REAP_WAIT_MS}, and streams still held open
   * by a process outside the group (setsid) are cut after {@link DRAIN_MS}. Calls after the first
   * return the first call's promise.
   */
  stop(graceMs: number): Promise<void> {
    this.stopping ??= this.stopOnce(graceMs);
    return this.stopping;
  }

  private async stopOnce(graceMs: number): Promise<void> {
    if (this.running()) await this.terminate(graceMs);
    await this.drain();
  }

  /** The leader has not exited yet, or something else in the group lives on. */
  private running(): boolean {
    return this.exit === undefined || this.alive();
  }

  private async terminate(graceMs: number): Promise<void> {
    this.signal('SIGTERM');
    if (await this.goneWithin(graceMs)) return;
    this.signal('SIGKILL');
    // A hook must not hang the deployment, even on a process stuck where SIGKILL waits.
    await this.goneWithin(REAP_WAIT_MS);
  }

  private goneWithin(ms: number): Promise<boolean> {
    return settlesWithin(this.clock, ms, (cancel) => pollUntil(() => !this.alive(), cancel));
  }

  private async drain(): Promise<void> {
    if (!(await settlesWithin(this.clock, DRAIN_MS, () => this.streamsClosed))) {
      this.stdout.destroy();
      this.stderr.destroy();
    }
    await this.streamsClosed;
  }
}

/**
 * Whether a process of group `pgid` still runs. Zombies do not count: they are dead, only not yet
 * reaped, and in containers whose init reaps lazily they linger for a second or more, which
 * `kill(-pgid, 0)` cannot tell from life. So on Linux /proc is read; elsewhere kill(0) decides.
 */
export function processGroupAlive(pgid: number): boolean {
  if (process.platform === 'linux') {
    const alive = livingGroupMembersFromProc(pgid);
    if (alive !== undefined) return alive;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error: unknown) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function livingGroupMembersFromProc(pgid: number): boolean | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it ended while we looked
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so cut at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

function closed(stream: Readable): Promise<void> {
  return new Promise((resolve) => stream.once('close', () => resolve()));
}

/**
 * Whether `work` settles within `ms` on `clock`. Whichever loses is told to stop through the
 * signal `work` gets (and the clock's sleep is cancelled).
 */
async function settlesWithin(clock: Clock, ms: number, work: (cancel: AbortSignal) => Promise<void>): Promise<boolean> {
  const over = new AbortController();
  try {
    return await Promise.race([
      work(over.signal).then(() => true),
      clock.sleepUntil(clock.now() + ms, over.signal).then(() => false)
    ]);
  } finally {
    over.abort();
  }
}

/** Resolves once `condition` holds, checked every {@link POLL_MS}; never, once `cancel` fires. */
function pollUntil(condition: () => boolean, cancel: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (cancel.aborted) return;
      if (condition()) resolve();
      else setTimeout(check, POLL_MS);
    };
    check();
  });
}
