import { accessSync, constants as fsConstants } from 'node:fs';
import { basename, delimiter, join } from 'node:path';

/** How a command is started: the executable and its arguments. */
export interface ShellInvocation {
  readonly file: string;
  readonly args: readonly string[];
  /** cmd.exe parses its own command line: Node must not quote it. */
  readonly windowsVerbatimArguments?: boolean;
}

/**
 * Picks the shell as GitHub's `run` steps do: bash with `-e -o pipefail` where bash exists, else
 * `sh -e`; on Windows cmd.exe unless `shell` names another. `bashPath` is bash found on PATH.
 */
export function shellInvocation(
  command: string,
  options: { readonly platform: NodeJS.Platform; readonly shell?: string; readonly bashPath?: string; readonly comSpec?: string }
): ShellInvocation {
  const file = options.shell ?? (options.platform === 'win32' ? (options.comSpec ?? 'cmd.exe') : (options.bashPath ?? 'sh'));
  const name = basename(file.replace(/\\/g, '/'))
    .toLowerCase()
    .replace(/\.exe$/, '');
  switch (name) {
    case 'bash':
      return { file, args: ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', command] };
    case 'pwsh':
    case 'powershell':
      return { file, args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', command] };
    case 'cmd':
      return { file, args: ['/d', '/s', '/c', `"${command}"`], windowsVerbatimArguments: true };
    default:
      return { file, args: ['-e', '-c', command] };
  }
}

/** The first executable `name` on PATH. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
