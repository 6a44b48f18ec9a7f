/**
 * Command hooks run real (short) shell commands: the subject is process handling, which a fake
 * cannot show. But no test depends on how fast the machine is: the time limit and the kill grace
 * period run on a ManualClock that only the test moves (so a limit never fires by itself), and
 * what happened to the processes is read from their output, from /proc and from the signals sent,
 * never from elapsed time.
 */
import { afterAll, afterEach, describe, expect, jest, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  inheritedEnvironment,
  CommandTrafficHook,
  commandEnvironment,
  MAX_REASON_LINE_CHARS,
  type CommandTrafficHookOptions
} from '../../src/hooks/command-hook.js';
import { MAX_HOOK_RESPONSE_CHARS } from '../../src/hooks/lambda-hook.js';
import { forwardedLine, OUTPUT_LINE_PREFIX } from '../../src/hooks/command-output.js';
import { shellInvocation } from '../../src/hooks/shell.js';
import type { HookPayload } from '../../src/hooks/traffic-hook.js';
import type { Clock } from '../../src/core/clock.js';
import { systemClock } from '../../src/core/clock.js';
import { ManualClock } from '../support/manual-clock.js';
import { isGone, Lines, settledFlag, turn } from './processes.js';

const NODE = JSON.stringify(process.execPath);

const payload: HookPayload = {
  deploymentId: '9876543210-1-1a2b3c4d',
  lifecycleEvent: 'AfterAllowTraffic',
  functionName: 'orders',
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
  alias: 'live',
  aliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:live',
  currentVersion: '41',
  currentVersionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:41',
  targetVersion: '42',
  targetVersionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:42',
  strategy: 'Canary10Percent5Minutes'
};
const firstDeployment: HookPayload = { ...payload, currentVersion: null, currentVersionArn: null };

const dir = mkdtempSync(join(tmpdir(), 'command-hook-'));
const started: number[] = [];
let kill: { mockRestore: () => void } | undefined;
afterEach(() => {
  kill?.mockRestore();
  kill = undefined;
  // A failing test must not leave sleepers behind.
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A hook whose time limit and grace period run on `timer`, a ManualClock: unless the test moves it,
 * the time limit never fires, however slow the machine. `onLine` sees each logged line as it comes.
 */
function hook(
  command: string,
  options: Partial<CommandTrafficHookOptions> = {},
  onLine?: (line: string) => void
): { hook: CommandTrafficHook; lines: string[]; timer: ManualClock } {
  const lines: string[] = [];
  const timer = new ManualClock();
  const log = (line: string): void => {
    lines.push(line);
    onLine?.(line);
  };
  const created = new CommandTrafficHook({ command, timeoutMs: 5000, clock: systemClock, timer, log, ...options });
  return { hook: created, lines, timer };
}

/** Records the signals this process sends from now on; `to(pgid)` lists those sent to a process group. */
function recordSignals(): { to: (pgid: number) => string[]; all: () => string[] } {
  const spy = jest.spyOn(process, 'kill');
  kill = spy;
  const sent = (): Array<[number, string]> =>
    spy.mock.calls.filter(([, sig]) => sig !== 0 && sig !== undefined).map(([pid, sig]) => [pid, String(sig)]);
  return {
    to: (pgid) =>
      sent()
        .filter(([pid]) => pid === -pgid)
        .map(([, sig]) => sig),
    all: () => sent().map(([, sig]) => sig)
  };
}

let fileCount = 0;
function tempFile(): string {
  fileCount++;
  return join(dir, `pids-${fileCount}`);
}

/** The PIDs a command wrote (one per line); at least `expected` of them, or the test is void. */
function pidsIn(file: string, expected: number): number[] {
  const pids = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map(Number)
    : [];
  started.push(...pids.filter((pid) => Number.isInteger(pid) && pid > 1));
  expect(pids).toHaveLength(expected);
  for (const pid of pids) expect(Number.isInteger(pid) && pid > 1).toBe(true);
  return pids;
}

describe('commandEnvironment', () => {
  test('names every fact of the deployment', () => {
    expect(commandEnvironment(payload)).toEqual({
      LSD_DEPLOYMENT_ID: '9876543210-1-1a2b3c4d',
      LSD_LIFECYCLE_EVENT: 'AfterAllowTraffic',
      LSD_FUNCTION_NAME: 'orders',
      LSD_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
      LSD_ALIAS: 'live',
      LSD_ALIAS_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:orders:live',
      LSD_TARGET_VERSION: '42',
      LSD_TARGET_VERSION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:orders:42',
      LSD_PREVIOUS_VERSION: '41',
      LSD_PREVIOUS_VERSION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:orders:41',
      LSD_STRATEGY: 'Canary10Percent5Minutes',
      LSD_FUNCTIONS: '[]'
    });
  });

  test('lists every function of the rollout as JSON in LSD_FUNCTIONS', () => {
    const functions = [
      {
        functionName: 'orders-api',
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-api',
        alias: 'live',
        aliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-api:live',
        currentVersion: '7',
        targetVersion: '8',
        targetVersionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-api:8'
      }
    ];
    expect(JSON.parse(commandEnvironment({ ...payload, functions }).LSD_FUNCTIONS!)).toEqual(functions);
  });

  test('gives empty strings for the previous version on a first deployment', () => {
    expect(commandEnvironment(firstDeployment)).toMatchObject({ LSD_PREVIOUS_VERSION: '', LSD_PREVIOUS_VERSION_ARN: '' });
  });
});

describe('shellInvocation', () => {
  test('bash with errexit and pipefail where bash exists', () => {
    expect(shellInvocation('make smoke', { platform: 'linux', bashPath: '/usr/bin/bash' })).toEqual({
      file: '/usr/bin/bash',
      args: ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', 'make smoke']
    });
  });

  test('sh -e where there is no bash', () => {
    expect(shellInvocation('make smoke', { platform: 'linux' })).toEqual({ file: 'sh', args: ['-e', '-c', 'make smoke'] });
  });

  test('cmd.exe on Windows, pwsh when asked', () => {
    expect(shellInvocation('smoke.cmd', { platform: 'win32', comSpec: 'C:\\Windows\\system32\\cmd.exe' })).toEqual({
      file: 'C:\\Windows\\system32\\cmd.exe',
      args: ['/d', '/s', '/c', '"smoke.cmd"'],
      windowsVerbatimArguments: true
    });
    expect(shellInvocation('./smoke.ps1', { platform: 'win32', shell: 'pwsh' }).args).toEqual([
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      './smoke.ps1'
    ]);
  });
});

describe('forwardedLine', () => {
  test.each([
    ['::error::x'],
    ['  ::set-output name=a::b'],
    ['\t::add-mask::secret'],
    ['text then ##[error]legacy command'],
    ['##[stop-commands]token']
  ])('%j can be no workflow command', (line) => {
    const forwarded = forwardedLine(line);
    expect(forwarded.startsWith(OUTPUT_LINE_PREFIX)).toBe(true);
    // The runner trims leading whitespace before it looks for `::`, and finds `##[` anywhere.
    expect(forwarded.trimStart().startsWith('::')).toBe(false);
    expect(forwarded).not.toContain('##[');
  });
});

test('the label names the command on one line, shortened', () => {
  expect(hook('curl -fsS https://example.com/health').hook.label).toBe('command:curl -fsS https://example.com/health');
  const long = hook(`./smoke-test.sh \\\n  --target "$LSD_TARGET_VERSION_ARN" \\\n  --timeout 30 --retries 5 --verbose`).hook
    .label;
  expect(long).toBe('command:./smoke-test.sh \\ --target "$LSD_TARGET_VERSION_ARN" \\ --tim…');
  expect(long.length).toBe('command:'.length + 60 + '…'.length);
});

test('a command that exits 0 passes, and its output is logged line by line and kept', async () => {
  const signals = recordSignals();
  const { hook: h, lines } = hook('echo hello; echo world >&2');
  const outcome = await h.run(payload);
  expect(signals.all()).toEqual([]); // nothing was left to stop
  expect(outcome).toMatchObject({ hook: 'command:echo hello; echo world >&2', event: 'AfterAllowTraffic', passed: true });
  expect(outcome.reason).toBeUndefined();
  expect(lines).toEqual(['| hello', '| world']);
  expect(outcome.response).toBe('hello\nworld\n');
});

test('a non-zero exit fails with the code and the last non-empty output line', async () => {
  const { hook: h } = hook('echo "starting"; echo "health check: 503 Service Unavailable" >&2; echo; echo "   "; exit 3');
  const outcome = await h.run(payload);
  expect(outcome.passed).toBe(false);
  expect(outcome.reason).toBe('the command exited with code 3: health check: 503 Service Unavailable');
});

test('bash runs with errexit and pipefail: a failing step in a pipeline fails the command', async () => {
  const outcome = await hook('false | cat; echo "not reached"').hook.run(payload);
  expect(outcome).toMatchObject({ passed: false, reason: 'the command exited with code 1' });
  expect(outcome.response).toBe('');
});

test('the last line quoted in a reason is capped', async () => {
  const outcome = await hook(`${NODE} -e "console.log('y'.repeat(5000)); process.exit(2)"`).hook.run(payload);
  expect(outcome.passed).toBe(false);
  expect(outcome.reason?.startsWith('the command exited with code 2: yyy')).toBe(true);
  expect(outcome.reason?.length).toBeLessThan(MAX_REASON_LINE_CHARS + 80);
});

test('death by a signal is named', async () => {
  const outcome = await hook('echo "about to crash"; kill -SEGV $$').hook.run(payload);
  expect(outcome).toMatchObject({ passed: false, reason: 'the command was killed by signal SIGSEGV: about to crash' });
});

const printLsdEnvironment =
  `${NODE} -e "const e = Object.entries(process.env).filter(([k]) => k.startsWith('LSD_'));` +
  ` console.log(JSON.stringify({ lsd: Object.fromEntries(e), inherited: process.env.COMMAND_HOOK_TEST_INHERITED }))"`;

test('the command sees the deployment in LSD_ variables, on top of the runner environment', async () => {
  process.env.COMMAND_HOOK_TEST_INHERITED = 'from the runner';
  try {
    const outcome = await hook(printLsdEnvironment).hook.run(payload);
    expect(outcome.passed).toBe(true);
    const seen = JSON.parse(outcome.response) as { lsd: Record<string, string>; inherited: string };
    expect(seen.inherited).toBe('from the runner');
    expect(seen.lsd).toEqual(commandEnvironment(payload));
    expect(seen.lsd.LSD_TARGET_VERSION_ARN).toBe('arn:aws:lambda:us-east-1:123456789012:function:orders:42');
    expect(seen.lsd.LSD_PREVIOUS_VERSION).toBe('41');
    expect(Object.keys(seen.lsd)).toHaveLength(12);
  } finally {
    delete process.env.COMMAND_HOOK_TEST_INHERITED;
  }
});

test('on a first deployment the previous version is set, and empty', async () => {
  const outcome = await hook(
    'echo "[${LSD_PREVIOUS_VERSION+set}:${LSD_PREVIOUS_VERSION}:${LSD_PREVIOUS_VERSION_ARN+set}:${LSD_PREVIOUS_VERSION_ARN}]"'
  ).hook.run(firstDeployment);
  expect(outcome.response).toBe('[set::set:]\n');
});

test('forwarded output cannot issue workflow commands', async () => {
  const { hook: h, lines } = hook(
    `printf '%s\\n' '::error::x' '  ::warning::y' 'plain ##[error]z'; printf 'progress\\r::add-mask::m\\r\\n'`
  );
  const outcome = await h.run(payload);
  expect(outcome.passed).toBe(true);
  expect(lines).toEqual(['| ::error::x', '|   ::warning::y', '| plain ## [error]z', '| progress', '| ::add-mask::m']);
  for (const line of lines) {
    expect(line.trimStart().startsWith('::')).toBe(false);
    expect(line).not.toMatch(/[\r\n]|##\[/);
  }
  // The response is kept as it was: the summary escapes it.
  expect(outcome.response).toContain('::error::x\n');
});

test('huge output is forwarded in full but capped in the response, keeping its end', async () => {
  const { hook: h, lines } = hook(
    `${NODE} -e "for (let i = 0; i < 20000; i++) console.log('line ' + i + ' ' + 'x'.repeat(40)); console.log('THE END')"`
  );
  const outcome = await h.run(payload);
  expect(outcome.passed).toBe(true);
  expect(lines).toHaveLength(20001);
  expect(lines[19999]).toBe(`| line 19999 ${'x'.repeat(40)}`);
  expect(outcome.response.length).toBeLessThanOrEqual(MAX_HOOK_RESPONSE_CHARS);
  expect(outcome.response.endsWith('THE END\n')).toBe(true);
  expect(outcome.response).toMatch(/^… \(\d+ chars of output, the last ones follow\)\n/);
});

test('a long line with no line break is forwarded in pieces', async () => {
  const { hook: h, lines } = hook(`${NODE} -e "process.stdout.write('z'.repeat(40000))"`);
  expect((await h.run(payload)).passed).toBe(true);
  expect(lines.map((line) => line.length - OUTPUT_LINE_PREFIX.length)).toEqual([16384, 16384, 7232]);
});

test('the time limit kills the command and what it started, and fails the hook', async () => {
  const file = tempFile();
  const timer = new ManualClock();
  const signals = recordSignals();
  const { hook: h } = hook(
    `sleep 30 & echo $! > ${file}; echo $$ >> ${file}; echo ready; wait`,
    { timeoutMs: 300, timer },
    (line) => {
      if (line === '| ready') timer.advance(300);
    }
  );
  // Were the command not killed, `sleep 30` would outlast the test's own limit.
  const outcome = await h.run(payload);
  const [grandchild, shell] = pidsIn(file, 2);
  expect(outcome).toMatchObject({ passed: false, reason: 'the command did not finish within 300ms' });
  expect(isGone(shell!)).toBe(true);
  expect(isGone(grandchild!)).toBe(true);
  // SIGTERM sufficed: the grace period (never over, on this clock) did not end in SIGKILL.
  expect(signals.to(shell!)).toEqual(['SIGTERM']);
});

test('the time limit does not fire before its time', async () => {
  const timer = new ManualClock();
  const signals = recordSignals();
  const ready = new Lines();
  const { hook: h } = hook(`echo ready; exec sleep 30`, { timeoutMs: 300, timer }, (line) => ready.push(line));
  const run = h.run(payload);
  const isOver = settledFlag(run);
  await ready.seen('| ready');
  timer.advance(299);
  await turn();
  expect(signals.all()).toEqual([]);
  expect(isOver()).toBe(false);
  timer.advance(1);
  expect((await run).reason).toBe('the command did not finish within 300ms');
  expect(signals.all()).toEqual(['SIGTERM']);
});

test('processes that ignore SIGTERM get SIGKILL after the grace period', async () => {
  const file = tempFile();
  const timer = new ManualClock();
  const signals = recordSignals();
  const lines = new Lines();
  // The shell dies of SIGTERM; its child outlives it, holding the output pipe, and says so.
  const ignoresTerm = `${NODE} -e "process.on('SIGTERM', () => console.log('TERM ignored')); console.log('child ready'); setInterval(() => {}, 1e6)"`;
  const { hook: h } = hook(
    `${ignoresTerm} & echo $! > ${file}; echo $$ >> ${file}; echo shell ready; wait`,
    { timeoutMs: 200, killGraceMs: 300, timer },
    (line) => lines.push(line)
  );
  const run = h.run(payload);
  const isOver = settledFlag(run);
  await lines.seen('| shell ready');
  await lines.seen('| child ready');
  const [child, shell] = pidsIn(file, 2);
  timer.advance(200);

  await lines.seen('| TERM ignored');
  expect(signals.to(shell!)).toEqual(['SIGTERM']);
  timer.advance(299);
  await turn();
  expect(isOver()).toBe(false);
  expect(signals.to(shell!)).toEqual(['SIGTERM']);
  expect(isGone(child!)).toBe(false);

  timer.advance(1);
  const outcome = await run;
  expect(signals.to(shell!)).toEqual(['SIGTERM', 'SIGKILL']);
  expect(outcome.reason).toBe('the command did not finish within 200ms');
  expect(isGone(shell!)).toBe(true);
  expect(isGone(child!)).toBe(true);
});

test('cancellation kills the command and what it started, and rejects with an AbortError', async () => {
  const file = tempFile();
  const controller = new AbortController();
  const signals = recordSignals();
  const { hook: h } = hook(`sleep 30 & echo $! > ${file}; echo $$ >> ${file}; echo ready; wait`, {}, (line) => {
    if (line === '| ready') controller.abort('the workflow run was cancelled');
  });
  const error = await h.run(payload, controller.signal).then(
    () => undefined,
    (reason: unknown) => reason
  );
  const pids = pidsIn(file, 2);
  expect(signals.to(pids[1]!)).toEqual(['SIGTERM']);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).name).toBe('AbortError');
  expect((error as Error).message).toContain('the workflow run was cancelled');
  for (const pid of pids) expect(isGone(pid)).toBe(true);
});

test("a cancellation while the command's leftovers are being stopped still cancels", async () => {
  const timer = new ManualClock();
  const controller = new AbortController();
  const lines = new Lines();
  const fifo = tempFile();
  // The leftover tells the shell through a FIFO once it handles SIGTERM; only then does the shell exit 0.
  const leftover =
    `${NODE} -e "process.on('SIGTERM', () => console.log('TERM ignored'));` +
    ` require('node:fs').writeFileSync(process.argv[1], 'ready\\n'); setInterval(() => {}, 1e6)" ${fifo}`;
  const { hook: h } = hook(
    `mkfifo ${fifo}; ${leftover} & echo "leftover $!"; read ready < ${fifo}; exit 0`,
    { killGraceMs: 300, timer },
    (line) => lines.push(line)
  );
  const run = h.run(payload, controller.signal);
  started.push(Number((await lines.seen((line) => line.startsWith('| leftover '))).slice('| leftover '.length)));
  // The shell exited 0; the leftover got SIGTERM, ignores it, and is given the grace period.
  await lines.seen('| TERM ignored');
  controller.abort('the workflow run was cancelled');
  timer.advance(300);
  await expect(run).rejects.toMatchObject({
    name: 'AbortError',
    message: expect.stringContaining('the workflow run was cancelled')
  });
});

test('what the command leaves running in the background is stopped when it ends', async () => {
  const file = tempFile();
  const signals = recordSignals();
  const outcome = await hook(`sleep 30 > /dev/null 2>&1 & echo $! > ${file}; echo $$ >> ${file}; echo started`).hook.run(payload);
  expect(outcome.passed).toBe(true);
  const [background, shell] = pidsIn(file, 2);
  expect(isGone(background!)).toBe(true);
  expect(signals.to(shell!)).toEqual(['SIGTERM']);
});

test('a shell that cannot be started fails the hook', async () => {
  const outcome = await hook('echo hi', { shell: join(dir, 'no-such-shell') }).hook.run(payload);
  expect(outcome.passed).toBe(false);
  expect(outcome.reason).toMatch(/^the command could not be started: .*ENOENT/);
});

test('the duration comes from the injected clock', async () => {
  const times = [1_000, 1_750];
  const clock: Clock = { now: () => times.shift() ?? 9_999, sleepUntil: async () => undefined };
  const outcome = await hook('true', { clock }).hook.run(payload);
  expect(outcome.durationMs).toBe(750);
});

test("the action's own inputs, a token among them, are not passed to the command", () => {
  const env = inheritedEnvironment({ PATH: '/bin', 'INPUT_GITHUB-TOKEN': 'ghs_x', INPUT_ALIAS: 'live', HOME: '/root' });
  expect(env).toEqual({ PATH: '/bin', HOME: '/root' });
});
