import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodePackageError } from '../../src/code/package.js';
import { countZipEntries } from '../../src/code/zip-entries.js';
import { readZipFile } from '../../src/code/zip-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lsd-zipfile-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function problem(path: string): Promise<string> {
  const error = await readZipFile(path).then(
    () => undefined,
    (thrown: unknown) => thrown
  );
  expect(error).toBeInstanceOf(CodePackageError);
  return (error as CodePackageError).problem;
}

test('a zip is read as it is, with the hash Lambda will report', async () => {
  const bytes = zipSync({
    'index.js': new TextEncoder().encode('exports.handler = async () => 1;'),
    'a.txt': new Uint8Array([1])
  });
  const path = join(dir, 'orders.zip');
  writeFileSync(path, bytes);
  const zip = await readZipFile(path);
  expect(zip).toMatchObject({ size: bytes.length, files: 2, codeSha256: createHash('sha256').update(bytes).digest('base64') });
});

test('a missing file, a directory, a file that is no zip', async () => {
  expect(await problem(join(dir, 'missing.zip'))).toBe('there is no such file');
  expect(await problem(dir)).toBe('it is a directory, not a zip file');
  writeFileSync(join(dir, 'notes.txt'), 'hello');
  expect(await problem(join(dir, 'notes.txt'))).toMatch(/not a zip archive/);
});

test('a zip above the 50 MB Lambda takes directly points to S3', async () => {
  const path = join(dir, 'huge.zip');
  writeFileSync(path, '');
  truncateSync(path, 51 * 1024 * 1024);
  expect(await problem(path)).toMatch(
    /the zip is 51\.0 MB, and Lambda takes at most 50\.0 MB uploaded directly: upload it to S3 and give s3-bucket and s3-key/
  );
});

test('the entry count comes from the end record, also behind a comment; anything else is no zip', () => {
  const zip = zipSync({ a: new Uint8Array([1]), b: new Uint8Array([2]), c: new Uint8Array([3]) });
  expect(countZipEntries(zip)).toBe(3);
  const commented = Buffer.concat([Buffer.from(zip.subarray(0, zip.length - 2)), Buffer.from([5, 0]), Buffer.from('hello')]);
  expect(countZipEntries(commented)).toBe(3);
  expect(countZipEntries(new TextEncoder().encode('PK not really'))).toBeUndefined();
  expect(countZipEntries(new Uint8Array())).toBeUndefined();
});
