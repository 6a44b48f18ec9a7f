/**
 * The release helper, as actions/typescript-action's script/release does it, split so that the
 * release workflow (.github/workflows/release.yml) can run each part and a test can check them:
 *
 *   npm run release -- check v1.2.3 [--repository owner/name]   what must hold before tagging
 *   npm run --silent release -- notes v1.2.3                      the CHANGELOG.md section, for the release
 *   npm run release -- set-owner acme                             where the repository lives
 *
 * Where the action lives is written in one place: package.json's `repository`. Every `uses:` of
 * this action in README.md, docs/ and examples/ names that owner and the current major tag; a test
 * keeps them equal, and `set-owner` rewrites them all at once when the owner changes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ACTION_NAME = 'lambda-safe-deploy';
/** Files whose `uses:` lines show users how to reference the action. */
const DOCUMENT_ROOTS = ['README.md', 'docs', 'examples'];
/** A `uses:` of this action by owner and ref, in YAML or in prose. */
const USES = new RegExp(`(uses:\\s*)([A-Za-z0-9][A-Za-z0-9-]*)/${ACTION_NAME}@([\\w.-]+)`, 'g');

export interface Version {
  readonly tag: string;
  readonly major: string;
}

/** `v1.2.3` and its major tag `v1`; anything else is refused. */
export function parseVersion(tag: string): Version {
  const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  if (!match) throw new Error(`"${tag}" is not a release tag: expected vMAJOR.MINOR.PATCH, such as v1.2.3`);
  return { tag, major: `v${match[1]}` };
}

/** The repository's owner and name from package.json's `repository` (a URL or `github:owner/name`). */
export function repositoryOf(manifest: { repository?: string | { url?: string } }): { owner: string; name: string } {
  const url = typeof manifest.repository === 'string' ? manifest.repository : (manifest.repository?.url ?? '');
  const match = /(?:github\.com[/:]|^github:)([^/]+)\/([^/.]+)(?:\.git)?$/.exec(url);
  if (!match) throw new Error(`package.json's repository "${url}" names no GitHub repository`);
  return { owner: match[1]!, name: match[2]! };
}

/**
 * The body of CHANGELOG.md's section `## vX.Y.Z - YYYY-MM-DD`, without its heading. Refused when the
 * section is missing, undated or empty: the notes of a release are that section.
 */
export function changelogSection(changelog: string, version: Version): string {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^## ${version.tag.replace(/\./g, '\\.')}(\\s|$)`).test(line));
  if (start < 0) throw new Error(`CHANGELOG.md has no section "## ${version.tag} - YYYY-MM-DD"`);
  if (!new RegExp(`^## ${version.tag.replace(/\./g, '\\.')} - \\d{4}-\\d{2}-\\d{2}$`).test(lines[start]!)) {
    throw new Error(`CHANGELOG.md's heading "${lines[start]}" has no release date: write "## ${version.tag} - YYYY-MM-DD"`);
  }
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^## /.test(line));
  const body = (end < 0 ? rest : rest.slice(0, end)).join('\n').trim();
  if (body === '') throw new Error(`CHANGELOG.md's section ${version.tag} is empty`);
  return body;
}

/** Every `uses:` of this action in `text` that names another owner or another ref than `@<major>`. */
export function usesProblems(file: string, text: string, owner: string, major: string): string[] {
  return [...text.matchAll(USES)]
    .filter(([, , usedOwner, ref]) => usedOwner !== owner || ref !== major)
    .map(([whole]) => `${file}: "${whole.replace(/^uses:\s*/, '')}" should be ${owner}/${ACTION_NAME}@${major}`);
}

/** `text` with every `uses:` of this action naming `owner` (the ref is left as it is). */
export function withOwner(text: string, owner: string): string {
  return text.replace(USES, (_, prefix: string, _owner: string, ref: string) => `${prefix}${owner}/${ACTION_NAME}@${ref}`);
}

/** README.md and every Markdown or YAML file under docs/ and examples/, relative to the repository. */
export function documentFiles(root = ROOT): string[] {
  const walk = (path: string): string[] =>
    statSync(path).isDirectory() ? readdirSync(path).flatMap((entry) => walk(join(path, entry))) : [path];
  return DOCUMENT_ROOTS.filter((entry) => existsSync(join(root, entry)))
    .flatMap((entry) => walk(join(root, entry)))
    .filter((path) => /\.(md|ya?ml)$/.test(path))
    .map((path) => relative(root, path));
}

function readManifest(): { version: string; repository?: string | { url?: string } } {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
}

/** Everything that must hold before `version` is tagged; an empty list means go. */
export function releaseProblems(tag: string, repository: string | undefined): string[] {
  const problems: string[] = [];
  const attempt = (check: () => void): void => {
    try {
      check();
    } catch (error) {
      problems.push((error as Error).message);
    }
  };
  let version: Version;
  try {
    version = parseVersion(tag);
  } catch (error) {
    return [(error as Error).message];
  }
  const manifest = readManifest();
  if (`v${manifest.version}` !== version.tag) {
    problems.push(
      `package.json's version is ${manifest.version}: set it to ${version.tag.slice(1)} before releasing ${version.tag}`
    );
  }
  attempt(() => changelogSection(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'), version));
  attempt(() => {
    const { owner, name } = repositoryOf(manifest);
    if (repository !== undefined && repository !== `${owner}/${name}`) {
      throw new Error(
        `package.json's repository is ${owner}/${name}, and this is ${repository}: run ` +
          `\`npm run release -- set-owner ${repository.split('/')[0]}\` and commit what it changes`
      );
    }
    for (const file of documentFiles())
      problems.push(...usesProblems(file, readFileSync(join(ROOT, file), 'utf8'), owner, version.major));
  });
  const dirty = execFileSync('git', ['status', '--porcelain', '--', 'dist'], { cwd: ROOT, encoding: 'utf8' }).trim();
  if (dirty !== '')
    problems.push(`dist/ differs from what was committed (run npm run bundle first, then commit dist/):\n${dirty}`);
  const tagged = execFileSync('git', ['tag', '--list', version.tag], { cwd: ROOT, encoding: 'utf8' }).trim();
  if (tagged !== '') problems.push(`the tag ${version.tag} exists already: a release tag never moves`);
  return problems;
}

/** Writes the owner into package.json and every `uses:` of the documents; returns the files changed. */
export function setOwner(owner: string, root = ROOT): string[] {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/.test(owner)) throw new Error(`"${owner}" is not a GitHub user or organisation name`);
  const changed: string[] = [];
  const manifestPath = join(root, 'package.json');
  const manifestText = readFileSync(manifestPath, 'utf8');
  const { owner: before, name } = repositoryOf(JSON.parse(manifestText) as { repository?: string });
  const manifestAfter = manifestText.replace(`github.com/${before}/${name}`, `github.com/${owner}/${name}`);
  if (manifestAfter !== manifestText) {
    writeFileSync(manifestPath, manifestAfter);
    changed.push('package.json');
  }
  for (const file of documentFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    const after = withOwner(text, owner);
    if (after !== text) {
      writeFileSync(join(root, file), after);
      changed.push(file);
    }
  }
  return changed;
}

function main(args: readonly string[]): number {
  const [command, argument] = args;
  if (command === 'check' && argument) {
    const flag = args.indexOf('--repository');
    const problems = releaseProblems(argument, flag >= 0 ? args[flag + 1] : undefined);
    for (const problem of problems) console.error(`✘ ${problem}`);
    if (problems.length === 0) console.log(`✔ ${argument} can be released`);
    return problems.length === 0 ? 0 : 1;
  }
  if (command === 'notes' && argument) {
    console.log(changelogSection(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'), parseVersion(argument)));
    return 0;
  }
  if (command === 'set-owner' && argument) {
    const changed = setOwner(argument);
    console.log(changed.length > 0 ? `changed: ${changed.join(', ')}` : 'nothing to change');
    return 0;
  }
  console.error('usage: npm run release -- check vX.Y.Z [--repository owner/name] | notes vX.Y.Z | set-owner OWNER');
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`✘ ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
