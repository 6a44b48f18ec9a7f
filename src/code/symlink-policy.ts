import { isAbsolute, relative } from 'node:path';

/**
 * Where a symbolic link under `code-dir` may lead. A link is followed and what it leads to is
 * uploaded under the link's name (node_modules/.bin needs that), so a link to `/etc/passwd` or to
 * the runner's credentials would ship them with the function: by default only targets inside the
 * workspace (or inside the code directory itself) are taken.
 */
export type SymlinkPolicy =
  /** Targets inside `workspace` (GITHUB_WORKSPACE, when set) or the code directory are taken; others refused. */
  | { readonly kind: 'inside'; readonly workspace?: string }
  /** `allow-external-symlinks: true`: every target is taken, wherever it lies. */
  | { readonly kind: 'anywhere' };

/** True when `path` is `root` or lies under it (both real, absolute paths). Pure. */
export function isWithin(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The roots a link must lead into under `policy`, or undefined when any target is taken. */
export function allowedRoots(policy: SymlinkPolicy, codeDir: string): readonly string[] | undefined {
  if (policy.kind === 'anywhere') return undefined;
  return policy.workspace !== undefined ? [codeDir, policy.workspace] : [codeDir];
}
