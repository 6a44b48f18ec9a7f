import { CodePackageError } from '../code/package.js';
import { describeCodeSource, packageLocalCode, type CodeSource } from '../code/source.js';
import type { SymlinkPolicy } from '../code/symlink-policy.js';
import { Inputs } from '../config/keys.js';
import { describeError } from '../core/errors.js';
import { InputError } from '../core/input-error.js';
import { countOf, formatBytes } from '../core/text.js';
import { RolloutFailure } from '../core/failure.js';
import type { PreparedCode } from './inspect.js';
import type { Journal } from '../core/journal.js';

const EXPECTED = {
  'zip-file': 'a .zip file built earlier in the job, such as build/orders.zip (a relative path starts in the workspace)',
  'code-dir': "a directory of the function's files, such as dist/ (a relative path starts in the workspace)"
} as const;

/**
 * Reads the zip, or zips the directory, on the runner: first of all, before anything in AWS is read,
 * so that a missing file fails the step as the input error it is. Other sources need nothing here.
 */
export async function prepareCode(source: CodeSource, recorder: Journal, symlinks: SymlinkPolicy): Promise<PreparedCode> {
  if (source.kind !== 'zip-file' && source.kind !== 'code-dir') return { source };
  const input = source.kind === 'zip-file' ? Inputs.ZipFile : Inputs.CodeDir;
  try {
    const zip = await packageLocalCode(source, symlinks);
    const how = source.kind === 'code-dir' ? ', zipped on the runner' : '';
    recorder.event(
      `Code: ${describeCodeSource(source)}${how}: ${countOf(zip.files, 'file')}, ${formatBytes(zip.size)}, CodeSha256 ${zip.codeSha256}`
    );
    return { source, zip };
  } catch (error: unknown) {
    const problem =
      error instanceof CodePackageError
        ? `${error.path === source.path ? '' : `${error.path}: `}${error.problem}`
        : `it cannot be read (${describeError(error)})`;
    throw new RolloutFailure(new InputError(input, source.path, problem, EXPECTED[source.kind]).message);
  }
}
