import { zipSync, type ZipOptions } from 'fflate';
import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LAMBDA_UNZIPPED_MAX_BYTES, LAMBDA_ZIP_UPLOAD_MAX_BYTES } from '../core/limits.js';
import { codeSha256 } from './hash.js';
import { CodePackageError, isMissingPath, type ZipPackage } from './package.js';
import { allowedRoots, isWithin, type SymlinkPolicy } from './symlink-policy.js';
import { tooLarge } from './zip-file.js';

/**
 * Every entry's timestamp: the earliest a zip can hold. Zip times are local wall-clock fields, so a
 * local date gives the same bytes in every time zone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** "Made by" Unix, so that unzip tools and Lambda read the permission bits below. */
const UNIX = 3;
const REGULAR_FILE = 0o100000;
/** Fixed compression level: the same input and fflate version always deflate to the same bytes. */
const LEVEL = 6;

/** One file to pack: its path inside the zip (POSIX separators) and on disk. */
interface FileEntry {
  readonly name: string;
  readonly path: string;
  readonly executable: boolean;
  readonly size: number;
}

/**
 * Zips a directory so that the same tree always gives the same bytes, hence the same CodeSha256:
 * - every regular file under it, hidden ones included, with its path relative to the directory;
 * - entries sorted by path (byte order of the POSIX path);
 * - timestamps fixed at 1980-01-01 00:00:00, owners and other metadata left out;
 * - mode 0644, or 0755 when the file has any execute bit (a `bootstrap` must stay executable);
 * - directories are not stored (so empty ones are left out);
 * - symbolic links are followed: the file or directory they lead to is stored under the link's
 *   name; a link that leads nowhere, or back into a directory it sits in, is refused, and so is one
 *   that leads out of the workspace and the directory unless `symlinks` allows any target.
 * Sockets, pipes and devices are refused too.
 */
export async function zipDirectory(root: string, symlinks: SymlinkPolicy = { kind: 'inside' }): Promise<ZipPackage> {
  const found = await stat(root).catch((error: unknown) => {
    throw new CodePackageError(
      root,
      isMissingPath(error) ? 'there is no such directory' : `it cannot be read (${String(error)})`
    );
  });
  if (!found.isDirectory()) {
    throw new CodePackageError(root, 'it is a file, not a directory (give a zip file as zip-file instead)');
  }
  const realRoot = await realpath(root);
  const roots = await realRoots(allowedRoots(symlinks, realRoot));
  const files = await listFiles(root, '', new Set([realRoot]), roots);
  if (files.length === 0) throw new CodePackageError(root, 'the directory holds no files');
  const unzipped = files.reduce((sum, file) => sum + file.size, 0);
  if (unzipped > LAMBDA_UNZIPPED_MAX_BYTES) {
    throw new CodePackageError(
      root,
      `its files add up to ${(unzipped / 1024 / 1024).toFixed(1)} MB, and Lambda takes at most ` +
        `${LAMBDA_UNZIPPED_MAX_BYTES / 1024 / 1024} MB of unzipped code (use a container image instead)`
    );
  }
  files.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  // fflate writes the entries in the object's key order. JavaScript puts keys made only of digits
  // first, in numeric order: so a top-level file named `10` precedes `9`; still the same for the
  // same tree, which is what the hash needs.
  const entries: Record<string, [Uint8Array, ZipOptions]> = {};
  for (const file of files) {
    const mode = REGULAR_FILE | (file.executable ? 0o755 : 0o644);
    entries[file.name] = [
      new Uint8Array(await readFile(file.path)),
      { level: LEVEL, mtime: FIXED_MTIME, os: UNIX, attrs: mode << 16 }
    ];
  }
  const bytes = zipSync(entries);
  if (bytes.length > LAMBDA_ZIP_UPLOAD_MAX_BYTES) throw tooLarge(root, bytes.length);
  return { bytes, codeSha256: codeSha256(bytes), size: bytes.length, files: files.length };
}

/**
 * The files under `dir`, following links; `ancestors` are the real paths of the directories above;
 * `roots`, when given, the real paths a link must lead into.
 */
async function listFiles(
  dir: string,
  prefix: string,
  ancestors: ReadonlySet<string>,
  roots: readonly string[] | undefined
): Promise<FileEntry[]> {
  const files: FileEntry[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const entryName = prefix === '' ? name : `${prefix}/${name}`;
    const target = await followed(path);
    if (roots) await checkLink(path, roots);
    if (target.isDirectory()) {
      const real = await realpath(path);
      if (ancestors.has(real)) throw new CodePackageError(path, 'this symbolic link leads back into a directory it sits in');
      files.push(...(await listFiles(path, entryName, new Set([...ancestors, real]), roots)));
    } else if (target.isFile()) {
      files.push({ name: entryName, path, executable: (target.mode & 0o111) !== 0, size: target.size });
    } else {
      throw new CodePackageError(path, 'it is neither a file nor a directory (a socket, a pipe or a device cannot be zipped)');
    }
  }
  return files;
}

/**
 * Refuses a symbolic link whose target (followed to the end) lies outside every root, naming the link,
 * what it says and where it leads. An entry that is no link passes: its directory was checked.
 */
async function checkLink(path: string, roots: readonly string[]): Promise<void> {
  if (!(await lstat(path)).isSymbolicLink()) return;
  const real = await realpath(path);
  if (roots.some((root) => isWithin(real, root))) return;
  const says = await readlink(path);
  const where = roots.length > 1 ? `the workspace (${roots[1]}) and the code directory` : `the code directory (${roots[0]})`;
  throw new CodePackageError(
    path,
    `this symbolic link leads to ${says === real ? real : `${says} (${real})`}, outside ${where}: what it leads to would be ` +
      `uploaded with the function. Copy what the function needs into the directory, or set allow-external-symlinks: true`
  );
}

/** The real paths of the roots (a workspace that cannot be resolved counts as given). */
async function realRoots(roots: readonly string[] | undefined): Promise<readonly string[] | undefined> {
  if (!roots) return undefined;
  return Promise.all(roots.map((root) => realpath(root).catch(() => resolve(root))));
}

/** What `path` is once symbolic links are followed; a link that leads nowhere is refused. */
async function followed(path: string) {
  try {
    return await stat(path);
  } catch (error: unknown) {
    const link = await lstat(path).then(
      (found) => found.isSymbolicLink(),
      () => false
    );
    if (link) throw new CodePackageError(path, 'this symbolic link leads nowhere (its target does not exist, or the links loop)');
    throw new CodePackageError(path, `it cannot be read (${String(error)})`);
  }
}
