import { expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import stringWidth from 'string-width';

// `npm run demo` as a newcomer runs it, its output going to a pipe (not a terminal): it ends well,
// every line fits 120 columns, and the job summary shows as text, with no HTML tags.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/runner/demo.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', COLUMNS: '300' },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('the demo succeeds, fits 120 columns and prints no HTML', async () => {
  const { code, stdout, stderr } = await runDemo();
  expect({ code, stderr }).toMatchObject({ code: 0 });
  const lines = stdout.split('\n');
  expect(lines.length).toBeGreaterThan(100);
  expect(lines.filter((line) => stringWidth(line) > 120)).toEqual([]);
  expect(lines.filter((line) => /<\/?(details|summary|br|code|sub|b)\b[^>]*>/.test(line))).toEqual([]);
  // The three runs and their summaries are all there.
  for (const text of [
    '✅ Deployed: orders:live',
    '↩️ Rolled back: orders:live',
    'Per-version analysis',
    'The plan',
    '✔ alias live serves version 2 alone',
    // Progress while it bakes (a second stands for a minute here): the step, and the final bake.
    'Step 1/1 at 20%: ',
    'Final bake at 100%: ',
    'The final bake passed'
  ])
    expect(stdout).toContain(text);
}, 180_000);
