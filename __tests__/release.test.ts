/**
 * The release machinery (scripts/release.ts, .github/workflows/release.yml) and what a release
 * relies on: one owner in package.json that every documented `uses:` follows, a CHANGELOG section
 * per version, the licence and the security policy.
 */
import { describe, expect, test } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  changelogSection,
  documentFiles,
  parseVersion,
  repositoryOf,
  setOwner,
  usesProblems,
  withOwner
} from '../scripts/release.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const manifest = JSON.parse(read('package.json')) as { version: string; repository: { url: string } };

describe('the pieces of a release', () => {
  test('a release tag is vMAJOR.MINOR.PATCH, and its major tag follows', () => {
    expect(parseVersion('v1.2.3')).toEqual({ tag: 'v1.2.3', major: 'v1' });
    expect(parseVersion('v10.0.0').major).toBe('v10');
    for (const bad of ['1.2.3', 'v1.2', 'v1', 'v1.2.3-rc.1', 'latest']) expect(() => parseVersion(bad)).toThrow(/vMAJOR/);
  });

  test('the owner comes from package.json, whichever way the repository is written', () => {
    expect(repositoryOf({ repository: { url: 'git+https://github.com/acme/lambda-safe-deploy.git' } })).toEqual({
      owner: 'acme',
      name: 'lambda-safe-deploy'
    });
    expect(repositoryOf({ repository: 'github:acme/lambda-safe-deploy' }).owner).toBe('acme');
    expect(() => repositoryOf({})).toThrow(/names no GitHub repository/);
  });

  const changelog = [
    '# Changelog',
    '',
    '## v1.1.0 - unreleased',
    '',
    '- Something new.',
    '',
    '## v1.0.1 - 2027-01-15',
    '',
    '- A fix.',
    '- Another.',
    '',
    '## v1.0.0 - 2027-01-10',
    ''
  ].join('\n');

  test('the notes are the dated CHANGELOG section of the version, and nothing else', () => {
    expect(changelogSection(changelog, parseVersion('v1.0.1'))).toBe('- A fix.\n- Another.');
  });

  test('an undated, empty or missing section is refused', () => {
    expect(() => changelogSection(changelog, parseVersion('v1.1.0'))).toThrow(
      /has no release date: write "## v1.1.0 - YYYY-MM-DD"/
    );
    expect(() => changelogSection(changelog, parseVersion('v1.0.0'))).toThrow(/section v1.0.0 is empty/);
    expect(() => changelogSection(changelog, parseVersion('v2.0.0'))).toThrow(/no section "## v2.0.0/);
    // v1.0.1 is not v1.0.10.
    expect(() => changelogSection(changelog, parseVersion('v1.0.10'))).toThrow(/no section/);
  });

  test('a uses: of another owner or another ref is found; set-owner rewrites the owner only', () => {
    const text = [
      '- uses: your-org/lambda-safe-deploy@v1',
      '        uses: your-org/lambda-safe-deploy@v2',
      '  - uses: someone/lambda-safe-deploy@v1',
      '  - uses: actions/checkout@v7'
    ].join('\n');
    expect(usesProblems('x.yml', text, 'your-org', 'v1')).toEqual([
      'x.yml: "your-org/lambda-safe-deploy@v2" should be your-org/lambda-safe-deploy@v1',
      'x.yml: "someone/lambda-safe-deploy@v1" should be your-org/lambda-safe-deploy@v1'
    ]);
    const moved = withOwner(text, 'acme');
    expect(moved).toContain('- uses: acme/lambda-safe-deploy@v1\n        uses: acme/lambda-safe-deploy@v2');
    expect(moved).toContain('actions/checkout@v7');
    expect(usesProblems('x.yml', moved, 'acme', 'v1')).toEqual([
      'x.yml: "acme/lambda-safe-deploy@v2" should be acme/lambda-safe-deploy@v1'
    ]);
  });

  test('set-owner moves package.json and every document to the new owner at once', () => {
    const copy = mkdtempSync(join(tmpdir(), 'lsd-release-'));
    try {
      for (const entry of ['package.json', 'README.md', 'docs', 'examples'])
        cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
      const changed = setOwner('acme', copy);
      expect(changed).toEqual(
        expect.arrayContaining(['package.json', 'README.md', 'docs/engines.md', 'examples/deploy-orders.yml'])
      );
      const moved = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')) as typeof manifest;
      expect(repositoryOf(moved)).toEqual({ owner: 'acme', name: 'lambda-safe-deploy' });
      const major = parseVersion(`v${moved.version}`).major;
      for (const file of documentFiles(copy))
        expect(usesProblems(file, readFileSync(join(copy, file), 'utf8'), 'acme', major)).toEqual([]);
      expect(setOwner('acme', copy)).toEqual([]);
      expect(() => setOwner('not an owner', copy)).toThrow(/not a GitHub user/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('the repository, ready to release', () => {
  const { owner } = repositoryOf(manifest);
  const { major } = parseVersion(`v${manifest.version}`);

  test('every uses: of the action in README.md, docs/ and examples/ names package.json’s owner and the major tag', () => {
    const files = documentFiles();
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/inputs.md', 'examples/deploy-orders.yml']));
    const uses = files.flatMap((file) => [...read(file).matchAll(/uses:\s*\S+\/lambda-safe-deploy@\S+/g)]);
    expect(uses.length).toBeGreaterThan(5);
    expect(files.flatMap((file) => usesProblems(file, read(file), owner, major))).toEqual([]);
  });

  test('CHANGELOG.md has a section for package.json’s version (dated when it is released)', () => {
    expect(read('CHANGELOG.md')).toMatch(
      new RegExp(`^## v${manifest.version.replace(/\./g, '\\.')} - (\\d{4}-\\d{2}-\\d{2}|unreleased)$`, 'm')
    );
  });

  test('the licence is MIT, as package.json says, and the security policy says how to report', () => {
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
    expect((JSON.parse(read('package.json')) as { license: string }).license).toBe('MIT');
    expect(read('SECURITY.md')).toMatch(
      /## Reporting a vulnerability[\s\S]*security\/advisories\/new[\s\S]*## In scope[\s\S]*## Out of scope/
    );
  });

  test('the release workflow tests, checks dist/ and the release, tags, moves the major tag, and publishes the notes', () => {
    const text = read('.github/workflows/release.yml');
    const workflow = parse(text) as { on: { workflow_dispatch: { inputs: { version: { required: boolean } } } } };
    expect(workflow.on.workflow_dispatch.inputs.version.required).toBe(true);
    const order = [
      'npm ci',
      'npm test',
      'npm run bundle',
      'npm run release -- check "$VERSION" --repository "$REPOSITORY"',
      'git tag --annotate "$VERSION"',
      'git tag --force --annotate "$major"',
      'git push --force origin "refs/tags/$major"',
      'npm run --silent release -- notes "$VERSION"',
      'gh release create "$VERSION"'
    ].map((command) => text.indexOf(command));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
