/**
 * The README and docs/ must tell the same story as action.yml and the code: every input with its
 * default, every output, the strategies, the traffic commands' variables, examples that parse and use
 * only what the action declares, and links that lead somewhere. The README itself stays a first
 * screen: the newcomer's two commands, a `uses:` step and a picture, under 400 lines.
 *
 * How docs/inputs.md writes a default (the "Default" column of its inputs tables):
 * - `(required)` for a required input;
 * - exactly one backticked value, equal to action.yml's `default`, when that default is not empty
 *   (`live`, `10s`, `${{ github.token }}`);
 * - no backticked value when action.yml's default is empty: the cell is empty or says in words what
 *   an empty input means ("empty: repository, commit, run URL").
 *
 * Each check returns a list of problems rather than asserting, so that the last tests can feed it
 * a drifted copy and show that it would notice.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { RetiredInputs } from '../../src/config/keys.js';
import { commandEnvironment } from '../../src/hooks/command-hook.js';
import { PREDEFINED_STRATEGIES } from '../../src/config/strategy.js';

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const action = parse(read('action.yml')) as ActionYml;
const readmeText = read('README.md');
const inputsText = read('docs/inputs.md');

/** Every Markdown page a user reads: the README, docs/, the examples' README, the changelog, the policy. */
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  'examples/README.md',
  'CHANGELOG.md',
  'SECURITY.md'
];

/** The lines under a heading, up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string[] {
  const lines = withoutCodeBlocks(markdown).split('\n');
  const start = lines.findIndex((line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, '').trim() === heading);
  if (start < 0) return [];
  const level = /^#+/.exec(lines[start]!)![0].length;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => new RegExp(`^#{1,${level}} `).test(line));
  return end < 0 ? rest : rest.slice(0, end);
}

/** Blanks out fenced code blocks (keeping the line count), so that `#` in code is not a heading. */
function withoutCodeBlocks(markdown: string): string {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*```/.test(line)) {
        inFence = !inFence;
        return '';
      }
      return inFence ? '' : line;
    })
    .join('\n');
}

/** The fenced blocks of a language, with the line each starts on. */
function codeBlocks(markdown: string, language: string): Array<{ line: number; text: string }> {
  return [...markdown.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((match) => ({
    line: markdown.slice(0, match.index).split('\n').length,
    text: match[1]!
  }));
}

interface TableRow {
  /** The first cell's backticked name, or the raw cell if it has none. */
  readonly name: string;
  readonly cells: readonly string[];
}

/** The rows of every table in `lines` whose first header cell is `header` (header and separator skipped). */
function tables(lines: readonly string[], header: string): TableRow[] {
  const rows: TableRow[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.trimStart().startsWith('|') || (i > 0 && lines[i - 1]!.trimStart().startsWith('|'))) continue;
    if (cellsOf(lines[i]!)[0] !== header) continue;
    for (const line of lines.slice(i + 2)) {
      if (!line.trimStart().startsWith('|')) break;
      const cells = cellsOf(line);
      rows.push({ name: /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1] ?? cells[0] ?? '', cells });
    }
  }
  return rows;
}

function cellsOf(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

function duplicates(names: readonly string[]): string[] {
  return names.filter((name, index) => names.indexOf(name) !== index);
}

/** Names in the tables that action.yml lacks, names action.yml has that the tables lack, duplicates. */
function compareNames(kind: string, tableNames: readonly string[], declared: readonly string[]): string[] {
  return [
    ...(tableNames.length === 0 ? [`docs/inputs.md has no ${kind} table`] : []),
    ...declared
      .filter((name) => !tableNames.includes(name))
      .map((name) => `${kind} ${name} is in action.yml but not in docs/inputs.md`),
    ...tableNames
      .filter((name) => !declared.includes(name))
      .map((name) => `${kind} ${name} is in docs/inputs.md but not in action.yml`),
    ...duplicates(tableNames).map((name) => `${kind} ${name} is listed twice in docs/inputs.md`)
  ];
}

function inputProblems(markdown: string, actionYml: ActionYml): string[] {
  const rows = tables(section(markdown, 'Inputs'), 'Input');
  const problems = compareNames(
    'input',
    rows.map((row) => row.name),
    Object.keys(actionYml.inputs)
  );
  for (const row of rows) {
    const declared = actionYml.inputs[row.name];
    if (!declared) continue;
    const cell = row.cells[1] ?? '';
    const backticked = [...cell.matchAll(/`([^`]*)`/g)].map((match) => match[1]!);
    if (declared.required === true) {
      if (cell !== '(required)')
        problems.push(`input ${row.name} is required in action.yml; its default should read (required), not "${cell}"`);
      continue;
    }
    if (cell === '(required)')
      problems.push(`input ${row.name} is not required in action.yml, but docs/inputs.md says (required)`);
    const expected = declared.default ?? '';
    if (expected === '') {
      if (backticked.length > 0)
        problems.push(`input ${row.name} has no default in action.yml, but docs/inputs.md gives \`${backticked.join('`, `')}\``);
    } else if (backticked.length !== 1 || backticked[0] !== expected) {
      problems.push(
        `input ${row.name}: action.yml's default is \`${expected}\`, the default cell of docs/inputs.md is "${cell}"`
      );
    }
    if ((row.cells[2] ?? '').length < 10) problems.push(`input ${row.name} has no meaning in docs/inputs.md`);
  }
  return problems;
}

function outputProblems(markdown: string, actionYml: ActionYml): string[] {
  const rows = tables(section(markdown, 'Outputs'), 'Output');
  const problems = compareNames(
    'output',
    rows.map((row) => row.name),
    Object.keys(actionYml.outputs)
  );
  for (const row of rows) {
    if ((row.cells[1] ?? '').length < 10) problems.push(`output ${row.name} has no meaning in docs/inputs.md`);
  }
  return problems;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  return new Set(
    withoutCodeBlocks(markdown)
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) => anchor(line.replace(/^#+ /, '')))
  );
}

/** Links of `page` (Markdown or <img src>) to a heading or a file of the repository that lead nowhere. */
function linkProblems(page: string, markdown: string, pages: ReadonlyMap<string, string>): string[] {
  const text = withoutCodeBlocks(markdown);
  const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g), ...text.matchAll(/<img [^>]*src="([^"]+)"/g)].map((match) => match[1]!);
  const problems: string[] = [];
  for (const target of targets) {
    if (/^[a-z]+:/i.test(target)) continue;
    const [path = '', fragment] = target.split('#');
    const file = path === '' ? page : normalize(join(dirname(page), path));
    if (file.startsWith('..')) {
      // GitHub's own pages, relative to the file's URL (the security tab from SECURITY.md).
      if (!/^\.\.\/\.\.\/(security|issues|releases|actions)\b/.test(target))
        problems.push(`${page}: link ${target} leaves the repository`);
      continue;
    }
    const content = pages.get(file) ?? (existsSync(join(ROOT, file)) && file.endsWith('.md') ? read(file) : undefined);
    if (!existsSync(join(ROOT, file)) && content === undefined) {
      problems.push(`${page}: link ${target} leads to no file`);
      continue;
    }
    if (fragment !== undefined && content !== undefined && !anchorsOf(content).has(fragment))
      problems.push(`${page}: link ${target} leads to no heading of ${file}`);
  }
  return problems;
}

/**
 * Every YAML example parses, and every step in it that uses this action gives it only inputs that
 * action.yml declares. Fragments (a few inputs, a job) parse on their own.
 */
function yamlProblems(page: string, markdown: string, actionYml: ActionYml): string[] {
  const problems: string[] = [];
  for (const block of codeBlocks(markdown, 'yaml')) {
    const documents = parseAllDocuments(block.text);
    const errors = (Array.isArray(documents) ? documents : [documents]).flatMap((doc) => doc.errors);
    if (errors.length > 0) {
      problems.push(`${page}:${block.line}: YAML that does not parse: ${errors[0]!.message}`);
      continue;
    }
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(visit);
      if (typeof value !== 'object' || value === null) return;
      const node = value as Record<string, unknown>;
      if (
        typeof node.uses === 'string' &&
        /\/lambda-safe-deploy@/.test(node.uses) &&
        typeof node.with === 'object' &&
        node.with
      ) {
        for (const name of Object.keys(node.with))
          if (!(name in actionYml.inputs))
            problems.push(
              `${page}:${block.line}: the example gives the action the input ${name}, which action.yml does not declare`
            );
      }
      Object.values(node).forEach(visit);
    };
    for (const doc of Array.isArray(documents) ? documents : [documents]) visit(doc.toJS());
    for (const [, name] of block.text.matchAll(/steps\.deploy\.outputs\.([\w-]+)/g))
      if (!(name! in actionYml.outputs))
        problems.push(`${page}:${block.line}: the example reads the output ${name}, which action.yml does not declare`);
  }
  return problems;
}

const pageTexts = new Map(PAGES.map((page) => [page, read(page)]));

describe('README.md, the first screen', () => {
  const lines = readmeText.split('\n');

  test('its first lines are the two commands a newcomer needs', () => {
    const head = lines.slice(0, 8).join('\n');
    expect(head).toContain('npm ci && npm run demo');
    expect(head).toContain('npm ci && npm test');
  });

  test('a uses: step of the action within its first 40 lines, and a picture of a job summary before the first section', () => {
    expect(lines.slice(0, 40).some((line) => /^\s*- uses: [\w-]+\/lambda-safe-deploy@v\d+$/.test(line))).toBe(true);
    const firstSection = lines.findIndex((line) => line.startsWith('## '));
    expect(lines.slice(0, firstSection).join('\n')).toMatch(/<img src="docs\/job-summary\.png"|\]\(docs\/job-summary\.png\)/);
    const png = readFileSync(join(ROOT, 'docs/job-summary.png'));
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  });

  test('it stays under 400 lines: the reference is in docs/', () => {
    expect(lines.length).toBeLessThan(400);
  });

  test('its code fits GitHub’s width (90 columns), so that no example is cut', () => {
    const wide = codeBlocks(readmeText, '\\w*').flatMap((block) =>
      block.text
        .split('\n')
        .map((line, index) => ({ line: block.line + 1 + index, width: [...line].length }))
        .filter((line) => line.width > 90)
    );
    expect(wide).toEqual([]);
  });

  test('it leads to every page of docs/, through the index', () => {
    const index = read('docs/README.md');
    const pages = [...pageTexts.keys()].filter((page) => page.startsWith('docs/') && page !== 'docs/README.md');
    expect(pages.filter((page) => !index.includes(`](${relative('docs', page)})`))).toEqual([]);
    expect(readmeText).toContain('](docs/README.md)');
  });
});

describe('docs/, the reference', () => {
  test('the inputs tables list every input of action.yml, once, with the same default, and no other', () => {
    expect(inputProblems(inputsText, action)).toEqual([]);
  });

  test('the inputs are grouped by concern: several tables, none of them the whole list', () => {
    const groups = section(inputsText, 'Inputs').filter((line) => /^### /.test(line));
    expect(groups.length).toBeGreaterThanOrEqual(8);
    for (const group of groups) expect(tables(section(inputsText, group.slice(4)), 'Input').length).toBeLessThan(15);
  });

  test('the outputs table lists every output of action.yml, and no other', () => {
    expect(outputProblems(inputsText, action)).toEqual([]);
  });

  test('the strategies page names all nine predefined configurations', () => {
    const strategies = read('docs/strategies.md');
    expect(PREDEFINED_STRATEGIES.filter((name) => !strategies.includes(`\`${name}\``))).toEqual([]);
  });

  test('the traffic commands table lists exactly the LSD_* variables a command gets', () => {
    const rows = tables(section(inputsText, 'Traffic commands'), 'Variable').map((row) => row.name);
    const given = Object.keys(
      commandEnvironment({
        deploymentId: 'd',
        lifecycleEvent: 'BeforeAllowTraffic',
        functionName: 'f',
        functionArn: 'arn',
        alias: 'live',
        aliasArn: 'arn',
        currentVersion: null,
        currentVersionArn: null,
        targetVersion: '1',
        targetVersionArn: 'arn',
        strategy: 'AllAtOnce'
      })
    );
    expect(rows.sort()).toEqual(given.sort());
  });

  test('the sections the other maintainers write are there', () => {
    expect(read('docs/how-it-works.md')).toMatch(/^## Cancellation, interruption and concurrent deployments$/m);
    expect(read('docs/how-it-works.md')).toMatch(/^## What happens, phase by phase$/m);
    expect(read('docs/analysis.md')).toMatch(/^# Per-version analysis$/m);
    expect(read('docs/analysis.md')).toContain('](analysis-method.md)');
  });

  test('the migration table maps every input of aws-actions/aws-lambda-deploy to ours, and names only inputs we have', () => {
    // Their inputs, as action.yml of aws-actions/aws-lambda-deploy v1.1.0 declares them.
    const theirs = [
      'function-name', 'package-type', 'image-uri', 'code-artifacts-dir', 'handler', 'runtime', 's3-bucket', 's3-key',
      'publish', 'dry-run', 'revision-id', 'architectures', 'source-kms-key-arn', 'role', 'function-description',
      'memory-size', 'timeout', 'vpc-config', 'environment', 'dead-letter-config', 'kms-key-arn', 'tracing-config',
      'layers', 'file-system-configs', 'image-config', 'ephemeral-storage', 'snap-start', 'logging-config',
      'code-signing-config-arn', 'tags'
    ]; // prettier-ignore
    const rows = tables(
      section(read('docs/migrating.md'), 'Migrating from aws-actions/aws-lambda-deploy'),
      'aws-actions/aws-lambda-deploy'
    );
    expect(rows.map((row) => row.name)).toEqual(theirs);
    // Input names, and the one value in lower case that is no input name (an architecture).
    const known = new Set([
      ...Object.keys(action.inputs),
      ...Object.keys(action.outputs),
      ...Object.values(RetiredInputs),
      'arm64'
    ]);
    const unknown = rows.flatMap((row) =>
      [...(row.cells[1] ?? '').matchAll(/`([a-z][a-z0-9-]*)`/g)].map((match) => match[1]!).filter((name) => !known.has(name))
    );
    expect(unknown).toEqual([]);
    for (const row of rows) expect([row.name, (row.cells[1] ?? '').length > 5]).toEqual([row.name, true]);
  });
});

describe('every page', () => {
  test('every JSON example parses', () => {
    const blocks = PAGES.flatMap((page) => codeBlocks(pageTexts.get(page)!, 'json').map((block) => ({ page, ...block })));
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const broken = blocks.filter((block) => {
      try {
        JSON.parse(block.text);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken.map((block) => `${block.page}:${block.line}`)).toEqual([]);
  });

  test('every YAML example parses and gives the action only inputs it declares', () => {
    expect(PAGES.flatMap((page) => codeBlocks(pageTexts.get(page)!, 'yaml')).length).toBeGreaterThanOrEqual(8);
    expect(PAGES.flatMap((page) => yamlProblems(page, pageTexts.get(page)!, action))).toEqual([]);
  });

  test('every link to a heading or a file of the repository leads somewhere', () => {
    expect(PAGES.flatMap((page) => linkProblems(page, pageTexts.get(page)!, pageTexts))).toEqual([]);
  });

  test('no page calls the GitHub deployment input environment any more', () => {
    const stale = PAGES.flatMap((page) =>
      pageTexts
        .get(page)!
        .split('\n')
        .filter((line) => /^\s*environment: production\b|The `environment` input|With `environment`[ ,]/.test(line))
        .map((line) => `${page}: ${line.trim()}`)
    );
    expect(stale).toEqual([]);
  });
});

describe('the checks notice drift (on in-memory copies)', () => {
  const copy = (): ActionYml => structuredClone(action);
  // Only what the drift adds counts, so that these tests stay quiet when the real files drift.
  const baseline = { inputs: inputProblems(inputsText, action), outputs: outputProblems(inputsText, action) };
  const newInputProblems = (markdown: string, actionYml: ActionYml): string[] =>
    inputProblems(markdown, actionYml).filter((problem) => !baseline.inputs.includes(problem));
  const newOutputProblems = (markdown: string, actionYml: ActionYml): string[] =>
    outputProblems(markdown, actionYml).filter((problem) => !baseline.outputs.includes(problem));

  test('a default changed in action.yml', () => {
    const drifted = copy();
    drifted.inputs['alarm-poll-interval']!.default = '15s';
    expect(newInputProblems(inputsText, drifted)).toEqual([
      expect.stringMatching(/^input alarm-poll-interval: action.yml's default is `15s`/)
    ]);
  });

  test('a default changed in docs/inputs.md', () => {
    const drifted = inputsText.replace('| `command-timeout` | `10m` |', '| `command-timeout` | `5m` |');
    expect(drifted).not.toBe(inputsText);
    expect(newInputProblems(drifted, action)).toEqual([expect.stringMatching(/^input command-timeout: .* is "`5m`"$/)]);
  });

  test('a default given to an input that has none', () => {
    const drifted = copy();
    drifted.inputs['alarms']!.default = 'orders-errors';
    expect(newInputProblems(inputsText, drifted)).toHaveLength(1);
  });

  test('an input added to action.yml, and one only the docs name', () => {
    const drifted = copy();
    drifted.inputs['an-input-only-this-test-knows'] = { description: 'something new', default: 'x' };
    delete drifted.inputs['dry-run'];
    expect(newInputProblems(inputsText, drifted)).toEqual([
      'input an-input-only-this-test-knows is in action.yml but not in docs/inputs.md',
      'input dry-run is in docs/inputs.md but not in action.yml'
    ]);
  });

  test('an input listed in two groups', () => {
    const row = inputsText.split('\n').find((line) => line.startsWith('| `wait` |'))!;
    const drifted = inputsText.replace('| `dry-run` |', `${row}\n| \`dry-run\` |`);
    expect(newInputProblems(drifted, action)).toEqual(['input wait is listed twice in docs/inputs.md']);
  });

  test('an output added to or removed from action.yml', () => {
    const drifted = copy();
    drifted.outputs['an-output-only-this-test-knows'] = { description: 'x' };
    delete drifted.outputs['plan'];
    expect(newOutputProblems(inputsText, drifted)).toEqual([
      'output an-output-only-this-test-knows is in action.yml but not in docs/inputs.md',
      'output plan is in docs/inputs.md but not in action.yml'
    ]);
  });

  test('a required input', () => {
    const drifted = copy();
    drifted.inputs['alias']!.required = true;
    expect(newInputProblems(inputsText, drifted)).toHaveLength(1);
  });

  test('a link to a missing page, a missing heading, a missing picture', () => {
    const pages = new Map(pageTexts);
    expect(linkProblems('docs/x.md', '[a](nowhere.md) [b](analysis.md#no-such-heading) <img src="nope.png">', pages)).toEqual([
      'docs/x.md: link nowhere.md leads to no file',
      'docs/x.md: link analysis.md#no-such-heading leads to no heading of docs/analysis.md',
      'docs/x.md: link nope.png leads to no file'
    ]);
    expect(linkProblems('docs/x.md', '[ok](analysis.md#per-version-analysis) [ok](../README.md#usage)', pages)).toEqual([]);
  });

  test('a YAML example with an input the action lacks, or broken YAML', () => {
    const page =
      '```yaml\n- uses: your-org/lambda-safe-deploy@v1\n  with:\n    function-name: orders\n    environment: prod\n```\n';
    expect(yamlProblems('x.md', page, action)).toEqual([
      'x.md:1: the example gives the action the input environment, which action.yml does not declare'
    ]);
    expect(yamlProblems('x.md', '```yaml\na: [1, 2\n```\n', action)).toHaveLength(1);
  });
});
