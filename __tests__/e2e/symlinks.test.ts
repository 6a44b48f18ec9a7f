import { afterEach, beforeEach, expect, jest, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changes, deploy, emulatorPerTest, testIamPolicyCoversCalls } from './scenario.js';

// code-dir follows symbolic links, and uploads what they lead to: a link out of the workspace (a
// file of the runner, another checkout) is refused before anything in AWS is read, unless the user
// opts in; links inside keep working.
jest.setTimeout(30_000);

const world = emulatorPerTest();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lsd-symlinks-e2e-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `<dir>/workspace/build` holds the function, with a link `passwd` to `<dir>/host/passwd`, outside the workspace. */
function buildWithLinkOut(linkOut = true): { workspace: string; build: string; target: string } {
  const workspace = join(dir, 'workspace');
  const build = join(workspace, 'build');
  mkdirSync(build, { recursive: true });
  mkdirSync(join(dir, 'host'));
  writeFileSync(join(build, 'index.mjs'), 'export const handler = async () => 1;');
  const target = join(dir, 'host', 'passwd');
  writeFileSync(target, 'root:x:0:0:root:/root:/bin/bash\n');
  if (linkOut) symlinkSync(target, join(build, 'passwd'));
  return { workspace, build, target };
}

test('a link out of the workspace is refused before any AWS call, naming the link and its target', async () => {
  const emu = await world.start({ latestIsLive: true });
  const { workspace, build, target } = buildWithLinkOut();
  const run = await deploy(emu, { 'code-dir': build }, { env: { GITHUB_WORKSPACE: workspace } });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toBe(
    `Input 'code-dir' has an invalid value "${build}": ${join(build, 'passwd')}: this symbolic link leads to ${target}, ` +
      `outside the workspace (${workspace}) and the code directory: what it leads to would be uploaded with the function. ` +
      `Copy what the function needs into the directory, or set allow-external-symlinks: true. Expected a directory of the ` +
      `function's files, such as dist/ (a relative path starts in the workspace).`
  );
  expect(emu.calls()).toEqual([]);
});

test('run without a workspace (locally), the code directory is the bound', async () => {
  const emu = await world.start({ latestIsLive: true });
  const { build } = buildWithLinkOut();
  const run = await deploy(emu, { 'code-dir': build });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain(`outside the code directory (${build})`);
  expect(changes(emu)).toEqual([]);
});

test('a link inside the workspace keeps working', async () => {
  const emu = await world.start({ latestIsLive: true });
  const { workspace, build } = buildWithLinkOut(false);
  mkdirSync(join(workspace, 'shared'));
  writeFileSync(join(workspace, 'shared', 'common.js'), 'module.exports = 1;');
  symlinkSync('../shared', join(build, 'shared'));
  const run = await deploy(emu, { 'code-dir': build }, { env: { GITHUB_WORKSPACE: workspace } });
  expect(run.outputs.status).toBe('succeeded');
  expect(run.stdout).toContain(`Code: directory ${build}, zipped on the runner: 2 files`);
  expect(changes(emu)).toEqual(['UpdateFunctionCode', 'PublishVersion', 'UpdateAlias']);
});

test('allow-external-symlinks: true takes a link out of the workspace', async () => {
  const emu = await world.start({ latestIsLive: true });
  const { workspace, build } = buildWithLinkOut();
  const run = await deploy(
    emu,
    { 'code-dir': build, 'allow-external-symlinks': 'true' },
    { env: { GITHUB_WORKSPACE: workspace } }
  );
  expect(run.outputs.status).toBe('succeeded');
  expect(run.stdout).toContain(`Code: directory ${build}, zipped on the runner: 2 files`);
  expect(changes(emu)).toEqual(['UpdateFunctionCode', 'PublishVersion', 'UpdateAlias']);
});

testIamPolicyCoversCalls();
