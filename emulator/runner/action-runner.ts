import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from this file's place in it. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How to run the bundled action once, the way the GitHub runner runs it. */
export interface ActionRun {
  /** The emulator (or any AWS-compatible endpoint) the SDK should talk to. */
  readonly endpoint: string;
  /** Inputs by their action.yml names; passed as INPUT_<NAME> variables. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Entry point relative to the repository root. */
  readonly entry?: string;
  /** Extra environment (e.g. GITHUB_STATE of an earlier run for the post step). */
  readonly env?: Readonly<Record<string, string>>;
  /** Called with each line the action prints, as it prints it. */
  readonly onLine?: (line: string) => void;
  /**
   * Send this signal to the process `afterMs` after it started or, with `afterLine`, after it first
   * printed a line containing that text (cancellation tests wait for the action's own progress).
   */
  readonly signal?: { readonly name: NodeJS.Signals; readonly afterMs: number; readonly afterLine?: string };
  /** Kill the process if it runs longer than this. */
  readonly timeoutMs?: number;
}

/** What a run left behind: what a later step or a test can read. */
export interface ActionResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** Saved state (core.saveState); the runner hands it to the post step as STATE_<name> variables (see postStepEnv). */
  readonly state: Record<string, string>;
  readonly durationMs: number;
  /** When the process was spawned (epoch ms): the start of every start-up figure. */
  readonly startedAtMs: number;
  /** When `signal` was sent (epoch ms), if it was. */
  readonly signalledAtMs?: number;
}

/**
 * Spawns `node dist/index.js` with INPUT_* variables, temporary GITHUB_OUTPUT, GITHUB_STEP_SUMMARY
 * and GITHUB_STATE files, dummy credentials and AWS_ENDPOINT_URL, like the runner does.
 */
export async function runAction(run: ActionRun): Promise<ActionResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lsd-run-'));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary'), state: join(dir, 'state') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: run.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    // The runner has Node 24; on an older local Node the SDK's upgrade notice is only noise.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_ACTIONS: 'true',
    ...inputVariables(run.inputs),
    ...run.env
  };
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, run.entry ?? 'dist/index.js')], { cwd: ROOT, env });
  let signalledAtMs: number | undefined;
  const timers: NodeJS.Timeout[] = [setTimeout(() => child.kill('SIGKILL'), run.timeoutMs ?? 120_000)];
  const sendSignal = (): void => {
    timers.push(
      setTimeout(() => {
        signalledAtMs = Date.now();
        child.kill(run.signal!.name);
      }, run.signal!.afterMs)
    );
  };
  let waitingForLine = run.signal?.afterLine;
  const onLine = (line: string): void => {
    if (waitingForLine !== undefined && line.includes(waitingForLine)) {
      waitingForLine = undefined;
      sendSignal();
    }
    run.onLine?.(line);
  };
  const stdout = collect(child.stdout, onLine);
  const stderr = collect(child.stderr, onLine);
  if (run.signal && run.signal.afterLine === undefined) sendSignal();
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  for (const timer of timers) clearTimeout(timer);
  const result: ActionResult = {
    exitCode,
    stdout: await stdout,
    stderr: await stderr,
    outputs: parseFileCommand(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    state: parseFileCommand(readFileSync(files.state, 'utf8')),
    durationMs: Date.now() - started,
    startedAtMs: started,
    signalledAtMs
  };
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/** `function-name` → `INPUT_FUNCTION-NAME`, as the runner names them (hyphens kept). */
export function inputVariables(inputs: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
}

/** Reads a GITHUB_OUTPUT / GITHUB_STATE file: `name<<DELIMITER\nvalue\nDELIMITER` entries. */
export function parseFileCommand(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]!);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const end = lines.indexOf(delimiter!, i + 1);
      values[name!] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const plain = /^([^=]+)=(.*)$/.exec(lines[i]!);
    if (plain) values[plain[1]!] = plain[2]!;
  }
  return values;
}

function collect(stream: NodeJS.ReadableStream, onLine?: (line: string) => void): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine?.(line);
    });
    stream.on('end', () => {
      if (pending) onLine?.(pending);
      resolve(text);
    });
  });
}

/** The environment the runner gives the post step: the main step's saved state as STATE_<name>. */
export function postStepEnv(state: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
}
