/**
 * ProcessGroup runs real processes (the subject is process handling, which a fake cannot show),
 * but no time passes in these tests: the grace period and the drain bound run on a ManualClock that
 * only the test moves, and what happened is read from the processes' own output, from /proc, and
 * from a recording of the signals the group sent.
 */
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { DRAIN_MS, ProcessGroup, REAP_WAIT_MS, type ProcessGroupOptions } from '../../src/hooks/process-group.js';
import { findOnPath, type ShellInvocation } from '../../src/hooks/shell.js';
import { ManualClock } from '../support/manual-clock.js';
import { isGone, Lines, processGroupOf, settledFlag, turn } from './processes.js';

const GRACE_MS = 1000;

/** Prints `ready` once it handles SIGTERM, then prints `TERM ignored` on each SIGTERM, forever. */
const IGNORES_TERM = `process.on('SIGTERM', () => console.log('TERM ignored')); console.log('ready'); setInterval(() => {}, 1e6);`;

const survivors: number[] = [];
afterEach(() => {
  // A failing test must not leave sleepers behind.
  for (const pid of survivors.splice(0)) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
  }
});

interface Started {
  readonly group: ProcessGroup;
  readonly clock: ManualClock;
  /** stdout, line by line (stderr is read and dropped). */
  readonly out: Lines;
  /** The signals the group sent, in order. */
  readonly signals: () => string[];
}

/** `sh -c script`, with NODE (this Node) and SCRIPT (a JavaScript snippet, unquoted) in its environment. */
async function startShell(script: string, nodeScript = '', options: Partial<ProcessGroupOptions> = {}): Promise<Started> {
  return start({ file: 'sh', args: ['-c', script] }, { NODE: process.execPath, SCRIPT: nodeScript }, options);
}

async function start(
  command: ShellInvocation,
  env: NodeJS.ProcessEnv = {},
  options: Partial<ProcessGroupOptions> = {}
): Promise<Started> {
  const clock = new ManualClock();
  const group = await ProcessGroup.start(command, { env: { PATH: process.env.PATH, ...env }, clock, ...options });
  if (group.pid !== undefined) survivors.push(group.pid);
  const sent = jest.spyOn(group, 'signal');
  const out = new Lines(group.stdout);
  group.stderr.resume();
  return { group, clock, out, signals: () => sent.mock.calls.map(([sig]) => sig) };
}

/** A pid the command printed, kept to be killed should the test fail. */
async function pidPrinted(out: Lines, label: string): Promise<number> {
  const line = await out.seen((text) => text.startsWith(`${label} `));
  const pid = Number(line.slice(label.length + 1));
  expect(Number.isInteger(pid) && pid > 1).toBe(true);
  survivors.push(pid);
  return pid;
}

describe('start', () => {
  test('runs the command in a process group of its own, with the environment given', async () => {
    const { group, out } = await start(
      { file: 'sh', args: ['-c', 'echo "greeting $GREETING"; echo "pgid $(cut -d" " -f5 /proc/$$/stat)"'] },
      { GREETING: 'hello' }
    );
    const pgid = Number((await out.seen((line) => line.startsWith('pgid '))).slice('pgid '.length));
    expect(pgid).toBe(group.pid);
    expect(pgid).not.toBe(processGroupOf(process.pid));
    expect(out.all[0]).toBe('greeting hello');
    await group.stop(GRACE_MS);
  });

  test('rejects when the command cannot be started', async () => {
    await expect(ProcessGroup.start({ file: '/no/such/shell', args: [] }, { env: {} })).rejects.toThrow(/ENOENT/);
  });
});

describe('exited', () => {
  test('reports the exit code', async () => {
    const { group } = await startShell('exit 7');
    expect(await group.exited).toEqual({ code: 7, signal: null });
    await group.stop(GRACE_MS);
  });

  test('reports the signal the command died of', async () => {
    const { group } = await startShell('kill -USR1 $$');
    expect(await group.exited).toEqual({ code: null, signal: 'SIGUSR1' });
    await group.stop(GRACE_MS);
  });
});

describe('signal and alive', () => {
  test('a signal reaches every process of the group, grandchildren too', async () => {
    const { group, out, signals } = await startShell(
      `trap 'echo "shell got USR1"' USR1; "$NODE" -e "$SCRIPT" & echo "grandchild $!"; wait; wait`,
      `process.on('SIGUSR1', () => console.log('grandchild got USR1')); console.log('ready'); setInterval(() => {}, 1e6);`
    );
    await pidPrinted(out, 'grandchild');
    await out.seen('ready');
    expect(group.alive()).toBe(true);
    group.signal('SIGUSR1');
    await out.seen('shell got USR1');
    await out.seen('grandchild got USR1');
    expect(group.alive()).toBe(true); // both handled it and live on
    await group.stop(GRACE_MS); // they do not trap TERM
    expect(signals()).toEqual(['SIGUSR1', 'SIGTERM']);
    expect(group.alive()).toBe(false);
  });

  // A zombie in the group whose parent (outside the group) never reaps it, as under a lazy init.
  const python = findOnPath('python3');
  (python ? test : test.skip)('zombies do not count as alive', async () => {
    const script = [
      'import os, time',
      'child = os.fork()',
      'if child == 0: os._exit(0)',
      'os.waitid(os.P_PID, child, os.WEXITED | os.WNOWAIT)  # it has exited, and stays unreaped',
      'os.setpgid(0, 0)  # the parent leaves the group; the zombie stays in it',
      'print(f"zombie {child}", flush=True)',
      'print(f"parent {os.getpid()}", flush=True)',
      'os.close(1); os.close(2)',
      'time.sleep(30)'
    ].join('\n');
    const { group, out, signals } = await start(
      { file: 'sh', args: ['-c', '"$PYTHON" -c "$SCRIPT" & wait'] },
      { PYTHON: python, SCRIPT: script }
    );
    const zombie = await pidPrinted(out, 'zombie');
    await pidPrinted(out, 'parent');
    group.signal('SIGKILL'); // the shell; the parent has left the group
    await group.exited;
    expect(processGroupOf(zombie)).toBe(group.pid); // the premise: a zombie of the group
    expect(isGone(zombie)).toBe(true);

    expect(group.alive()).toBe(false);
    await group.stop(GRACE_MS);
    expect(signals()).toEqual(['SIGKILL']);
  });
});

describe('stop', () => {
  test('sends SIGTERM to the whole group and resolves once all of it is gone; no SIGKILL when TERM does', async () => {
    const { group, out, signals } = await startShell('sleep 30 & echo "grandchild $!"; echo "shell $$"; wait');
    const grandchild = await pidPrinted(out, 'grandchild');
    const shell = await pidPrinted(out, 'shell');
    expect(isGone(grandchild)).toBe(false);

    // The clock never moves: the grace period cannot run out, so only SIGTERM can end them.
    await group.stop(GRACE_MS);

    expect(signals()).toEqual(['SIGTERM']);
    expect(isGone(shell)).toBe(true);
    expect(isGone(grandchild)).toBe(true);
    expect(group.alive()).toBe(false);
    expect(await group.exited).toEqual({ code: null, signal: 'SIGTERM' });
  });

  test('sends SIGKILL to what ignores SIGTERM, and only once the grace period is over', async () => {
    const { group, out, clock, signals } = await startShell(
      `trap "" TERM; sleep 30 & echo "grandchild $!"; exec "$NODE" -e "$SCRIPT"`,
      IGNORES_TERM
    );
    const grandchild = await pidPrinted(out, 'grandchild');
    await out.seen('ready');
    const stopped = group.stop(GRACE_MS);
    const isStopped = settledFlag(stopped);

    await out.seen('TERM ignored');
    expect(signals()).toEqual(['SIGTERM']);

    clock.advance(GRACE_MS - 1);
    await turn();
    expect(signals()).toEqual(['SIGTERM']);
    expect(isStopped()).toBe(false);
    expect(group.alive()).toBe(true);
    expect(isGone(grandchild)).toBe(false);

    clock.advance(1);
    await stopped;
    expect(signals()).toEqual(['SIGTERM', 'SIGKILL']);
    expect(await group.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(isGone(grandchild)).toBe(true);
    expect(out.all.filter((line) => line === 'TERM ignored')).toHaveLength(1);
  });

  test('gives up waiting for the group a bounded time after SIGKILL', async () => {
    // A stand-in for a process SIGKILL cannot end at once (uninterruptible I/O): alive() says yes.
    const { group, out, clock, signals } = await startShell('echo ready; exec sleep 30');
    await out.seen('ready');
    const alive = jest.spyOn(group, 'alive').mockReturnValue(true);
    const stopped = group.stop(GRACE_MS);
    const isStopped = settledFlag(stopped);
    clock.advance(GRACE_MS);
    await turn();
    expect(signals()).toEqual(['SIGTERM', 'SIGKILL']);
    expect(isStopped()).toBe(false);

    clock.advance(REAP_WAIT_MS);
    await stopped; // the streams closed when SIGKILL did end it
    expect(alive).toHaveBeenCalled();
  });

  test('sends nothing to a group that is already gone, and waits for its output to drain', async () => {
    const { group, out, signals } = await startShell('echo bye');
    await group.exited;
    await group.stop(GRACE_MS);
    expect(signals()).toEqual([]);
    expect(out.all).toEqual(['bye']);
    expect(group.stdout.destroyed).toBe(true);
  });

  test('cuts the output streams, after the drain bound, when a process outside the group holds them', async () => {
    // Node's spawn returns once the child has run setsid and exec'd: the outsider has left the group
    // before the command exits.
    const { group, out, clock, signals } = await startShell(
      'exec "$NODE" -e "$SCRIPT"',
      `const outsider = require('node:child_process').spawn('sleep', ['30'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });` +
        ` console.log('outsider ' + outsider.pid); outsider.unref();`
    );
    const outsider = await pidPrinted(out, 'outsider');
    await group.exited;
    expect(processGroupOf(outsider)).not.toBe(group.pid); // the premise: it is not in the group

    const stopped = group.stop(GRACE_MS);
    const isStopped = settledFlag(stopped);
    clock.advance(DRAIN_MS - 1);
    await turn();
    expect(isStopped()).toBe(false);
    expect(group.stdout.destroyed).toBe(false);

    clock.advance(1);
    await stopped;
    expect(group.stdout.destroyed).toBe(true);
    expect(group.stderr.destroyed).toBe(true);
    expect(signals()).toEqual([]); // not ours to kill
    expect(isGone(outsider)).toBe(false);
  });

  test('a second call returns the first stop', async () => {
    const { group, out, signals } = await startShell('echo ready; exec sleep 30');
    await out.seen('ready');
    const first = group.stop(GRACE_MS);
    expect(group.stop(GRACE_MS)).toBe(first);
    await first;
    expect(signals()).toEqual(['SIGTERM']);
  });
});
