import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputVariables, parseFileCommand } from '../../emulator/runner/action-runner.js';
import { runMain } from '../../src/main.js';

/** Variables of the runner, the AWS SDK and earlier runs: none leaks from the test's own environment into a run. */
const RUN_SCOPED = /^(INPUT_|AWS_|GITHUB_|STATE_|RUNNER_)/;

/** What one in-process run of the main step left. */
export interface MainRun {
  /** process.exitCode as the step left it (`core.setFailed` sets 1). */
  readonly exitCode: number | string | null | undefined;
  /** What was written to stdout (log lines and workflow commands such as `::error::`). */
  readonly stdout: string;
  /** GITHUB_OUTPUT, parsed. */
  readonly outputs: Record<string, string>;
  /** GITHUB_STATE, parsed. */
  readonly state: Record<string, string>;
}

/**
 * Runs the action's main step (`runMain` of src/main.ts) in this process, the way the runner starts
 * it: INPUT_* variables, GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files as @actions/core
 * reads them, dummy credentials and AWS_ENDPOINT_URL. Afterwards process.env, process.exitCode and
 * stdout are as they were. Runs must not overlap (they share process.env).
 */
export class InProcessAction {
  private readonly dir = mkdtempSync(join(tmpdir(), 'lsd-main-'));
  /** @actions/core keeps the summary file's path once it has read it: one file for every run. */
  readonly summaryFile = join(this.dir, 'summary');
  private runs = 0;

  constructor(private readonly endpoint: string) {
    writeFileSync(this.summaryFile, '');
  }

  async run(inputs: Readonly<Record<string, string>>): Promise<MainRun> {
    const files = { output: join(this.dir, `output-${++this.runs}`), state: join(this.dir, `state-${this.runs}`) };
    for (const file of Object.values(files)) writeFileSync(file, '');
    const savedEnv = { ...process.env };
    const savedExitCode = process.exitCode;
    const written: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof process.stdout.write);
    try {
      for (const key of Object.keys(process.env)) if (RUN_SCOPED.test(key)) delete process.env[key];
      Object.assign(process.env, {
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: this.endpoint,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        GITHUB_OUTPUT: files.output,
        GITHUB_STATE: files.state,
        GITHUB_STEP_SUMMARY: this.summaryFile,
        ...inputVariables(inputs)
      });
      process.exitCode = undefined;
      await runMain();
      return {
        exitCode: process.exitCode,
        stdout: written.join(''),
        outputs: parseFileCommand(readFileSync(files.output, 'utf8')),
        state: parseFileCommand(readFileSync(files.state, 'utf8'))
      };
    } finally {
      stdout.mockRestore();
      process.exitCode = savedExitCode;
      for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
      Object.assign(process.env, savedEnv);
    }
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
