import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { unzipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodePackageError } from '../../src/code/package.js';
import { zipDirectory } from '../../src/code/zip-directory.js';
import { centralEntries } from './zip-reader.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lsd-zipdir-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes files under `root` (path → content), creating directories as needed. */
function tree(root: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const FILES = {
  'index.mjs': 'export const handler = async () => 42;',
  'lib/util.js': 'module.exports = 1;',
  '.env.defaults': 'A=1'
};

describe('the same tree gives the same bytes', () => {
  test('whatever the order of creation, the timestamps and the read/write bits', async () => {
    const first = tree(join(dir, 'a'), FILES);
    const second = join(dir, 'b');
    for (const path of Object.keys(FILES).reverse()) tree(second, { [path]: FILES[path as keyof typeof FILES] });
    utimesSync(join(second, 'index.mjs'), new Date('2001-02-03'), new Date('2001-02-03'));
    chmodSync(join(second, 'lib/util.js'), 0o600);
    const [one, two] = [await zipDirectory(first), await zipDirectory(second)];
    expect(Buffer.from(two.bytes).equals(Buffer.from(one.bytes))).toBe(true);
    expect(two.codeSha256).toBe(one.codeSha256);
  });

  test('CodeSha256 is the base64 SHA-256 of the bytes, as Lambda computes it', async () => {
    const zip = await zipDirectory(tree(dir, FILES));
    expect(zip.codeSha256).toBe(createHash('sha256').update(zip.bytes).digest('base64'));
    expect(zip).toMatchObject({ size: zip.bytes.length, files: 3 });
  });

  test('in every time zone', async () => {
    tree(dir, FILES);
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const utc = await zipDirectory(dir);
      process.env.TZ = 'Asia/Kolkata';
      const kolkata = await zipDirectory(dir);
      expect(kolkata.codeSha256).toBe(utc.codeSha256);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  test('and a changed file gives other bytes', async () => {
    const before = await zipDirectory(tree(dir, FILES));
    writeFileSync(join(dir, 'lib/util.js'), 'module.exports = 2;');
    expect((await zipDirectory(dir)).codeSha256).not.toBe(before.codeSha256);
  });
});

describe('what the zip holds', () => {
  test('every file by its POSIX path, sorted, with the content intact', async () => {
    const zip = await zipDirectory(tree(dir, { 'b.js': 'b', 'a/z.js': 'z', 'a/b/c.js': 'c', 'A.txt': 'A' }));
    expect(centralEntries(zip.bytes).map((entry) => entry.name)).toEqual(['A.txt', 'a/b/c.js', 'a/z.js', 'b.js']);
    const files = unzipSync(zip.bytes);
    expect(Buffer.from(files['a/b/c.js']!).toString()).toBe('c');
  });

  test('fixed time 1980-01-01 00:00, Unix modes 0644, or 0755 with an execute bit; sizes in the headers', async () => {
    tree(dir, { bootstrap: '#!/bin/sh\necho hi', 'handler.sh': 'x', 'data.json': '{}' });
    chmodSync(join(dir, 'bootstrap'), 0o700);
    chmodSync(join(dir, 'handler.sh'), 0o644);
    const entries = centralEntries((await zipDirectory(dir)).bytes);
    expect(entries.map((entry) => [entry.name, entry.mode.toString(8)])).toEqual([
      ['bootstrap', '100755'],
      ['data.json', '100644'],
      ['handler.sh', '100644']
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ madeBy: 3, dosDate: (0 << 9) | (1 << 5) | 1, dosTime: 0, localFlags: 0 });
    }
  });

  test('directories are not stored: an empty one leaves no trace', async () => {
    tree(dir, FILES);
    mkdirSync(join(dir, 'empty/deeper'), { recursive: true });
    const names = centralEntries((await zipDirectory(dir)).bytes).map((entry) => entry.name);
    expect(names).toEqual(['.env.defaults', 'index.mjs', 'lib/util.js']);
  });

  test('symbolic links are followed: a file or a directory is stored under the link name', async () => {
    tree(dir, { 'node_modules/tool/cli.js': 'cli', 'shared/x.js': 'x' });
    chmodSync(join(dir, 'node_modules/tool/cli.js'), 0o755);
    mkdirSync(join(dir, 'node_modules/.bin'));
    symlinkSync('../tool/cli.js', join(dir, 'node_modules/.bin/tool'));
    symlinkSync('shared', join(dir, 'linked'));
    const zip = await zipDirectory(dir);
    const entries = centralEntries(zip.bytes);
    expect(entries.map((entry) => entry.name)).toEqual([
      'linked/x.js',
      'node_modules/.bin/tool',
      'node_modules/tool/cli.js',
      'shared/x.js'
    ]);
    expect(entries[1]!.mode.toString(8)).toBe('100755');
    expect(Buffer.from(unzipSync(zip.bytes)['node_modules/.bin/tool']!).toString()).toBe('cli');
  });
});

describe('refused, with the path and the reason', () => {
  async function refusal(path: string): Promise<CodePackageError> {
    const error = await zipDirectory(path).then(
      () => undefined,
      (thrown: unknown) => thrown
    );
    expect(error).toBeInstanceOf(CodePackageError);
    return error as CodePackageError;
  }

  test('a directory that does not exist', async () => {
    expect((await refusal(join(dir, 'build'))).message).toBe(`${join(dir, 'build')}: there is no such directory`);
  });

  test('a file instead of a directory', async () => {
    tree(dir, { 'orders.zip': 'PK' });
    expect((await refusal(join(dir, 'orders.zip'))).problem).toMatch(
      /it is a file, not a directory \(give a zip file as zip-file/
    );
  });

  test('a directory without files', async () => {
    mkdirSync(join(dir, 'empty/deeper'), { recursive: true });
    expect((await refusal(dir)).problem).toBe('the directory holds no files');
  });

  test('a symbolic link that leads nowhere', async () => {
    tree(dir, FILES);
    symlinkSync('missing.js', join(dir, 'broken.js'));
    const error = await refusal(dir);
    expect(error.path).toBe(join(dir, 'broken.js'));
    expect(error.problem).toMatch(/leads nowhere/);
  });

  test('a symbolic link back into a directory it sits in', async () => {
    tree(dir, FILES);
    symlinkSync('..', join(dir, 'lib/up'));
    expect((await refusal(dir)).problem).toMatch(/leads back into a directory it sits in/);
  });
});

describe('symbolic links that lead out of the workspace', () => {
  /** `workspace/build` with the function's files; `outside/` beside the workspace, holding a secret. */
  function layout(): { workspace: string; build: string; outside: string } {
    const workspace = join(dir, 'workspace');
    const build = tree(join(workspace, 'build'), FILES);
    const outside = tree(join(dir, 'outside'), { passwd: 'root:x:0:0', 'lib/deep.js': 'deep' });
    tree(workspace, { 'shared/common.js': 'common' });
    return { workspace, build, outside };
  }

  test('a link to a file outside is refused, naming the link and where it leads', async () => {
    const { workspace, build, outside } = layout();
    symlinkSync(join(outside, 'passwd'), join(build, 'passwd'));
    const error = await zipDirectory(build, { kind: 'inside', workspace }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(CodePackageError);
    expect((error as CodePackageError).path).toBe(join(build, 'passwd'));
    expect((error as CodePackageError).problem).toBe(
      `this symbolic link leads to ${join(outside, 'passwd')}, outside the workspace (${workspace}) and the code directory: ` +
        'what it leads to would be uploaded with the function. Copy what the function needs into the directory, or set ' +
        'allow-external-symlinks: true'
    );
  });

  test('a relative link, and a link to a directory outside, are refused the same way', async () => {
    const { workspace, build, outside } = layout();
    symlinkSync('../../../outside/lib', join(build, 'lib/vendor'));
    const error = (await zipDirectory(build, { kind: 'inside', workspace }).catch(
      (thrown: unknown) => thrown
    )) as CodePackageError;
    expect(error.path).toBe(join(build, 'lib/vendor'));
    expect(error.problem).toMatch(
      new RegExp(`^this symbolic link leads to \\.\\./\\.\\./\\.\\./outside/lib \\(${join(outside, 'lib')}\\), outside`)
    );
  });

  test('links inside the workspace keep working; without a workspace, the code directory is the bound', async () => {
    const { workspace, build } = layout();
    symlinkSync('../shared', join(build, 'shared'));
    const zip = await zipDirectory(build, { kind: 'inside', workspace });
    expect(centralEntries(zip.bytes).map((entry) => entry.name)).toContain('shared/common.js');
    const error = (await zipDirectory(build, { kind: 'inside' }).catch((thrown: unknown) => thrown)) as CodePackageError;
    expect(error.problem).toMatch(/outside the code directory \(/);
  });

  test('allow-external-symlinks takes them, and the same tree still gives the same bytes', async () => {
    const { build, outside } = layout();
    symlinkSync(join(outside, 'passwd'), join(build, 'passwd'));
    const first = await zipDirectory(build, { kind: 'anywhere' });
    const second = await zipDirectory(build, { kind: 'anywhere' });
    expect(Buffer.from(unzipSync(first.bytes)['passwd']!).toString()).toBe('root:x:0:0');
    expect(first.codeSha256).toBe(second.codeSha256);
  });
});
