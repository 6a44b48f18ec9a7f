/**
 * README.md and action.yml must tell the same story: every input with its default, every output,
 * the strategies, the traffic commands' variables, and links that lead somewhere.
 *
 * How the README writes a default (the "Default" column of the inputs table):
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
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { commandEnvironment } from '../../src/hooks/command-hook.js';
import { PREDEFINED_STRATEGIES } from '../../src/config/strategy.js';

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const ROOT = new URL('../../', import.meta.url);
const readmeText = readFileSync(new URL('README.md', ROOT), 'utf8');
const actionText = readFileSync(new URL('action.yml', ROOT), 'utf8');
const action = parse(actionText) as ActionYml;

/** The lines under a heading, up to the next heading of any level. */
function section(markdown: string, heading: string): string[] {
  const lines = withoutCodeBlocks(markdown).split('\n');
  const start = lines.findIndex((line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, '').trim() === heading);
  if (start < 0) return [];
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^#{1,6} /.test(line));
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

interface TableRow {
  /** The first cell's backticked name, or the raw cell if it has none. */
  readonly name: string;
  readonly cells: readonly string[];
}

/** Rows of the first table in `lines` (header and separator skipped); cells split on unescaped `|`. */
function firstTable(lines: readonly string[]): TableRow[] {
  const start = lines.findIndex((line) => line.trimStart().startsWith('|'));
  if (start < 0) return [];
  const rows: TableRow[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.trimStart().startsWith('|')) break;
    const cells = line
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
    const name = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1] ?? cells[0] ?? '';
    rows.push({ name, cells });
  }
  return rows;
}

function duplicates(names: readonly string[]): string[] {
  return names.filter((name, index) => names.indexOf(name) !== index);
}

/** Names in the table that action.yml lacks, names action.yml has that the table lacks, duplicates. */
function compareNames(kind: string, tableNames: readonly string[], declared: readonly string[]): string[] {
  return [
    ...(tableNames.length === 0 ? [`the README has no ${kind} table`] : []),
    ...declared
      .filter((name) => !tableNames.includes(name))
      .map((name) => `${kind} ${name} is in action.yml but not in the README table`),
    ...tableNames
      .filter((name) => !declared.includes(name))
      .map((name) => `${kind} ${name} is in the README table but not in action.yml`),
    ...duplicates(tableNames).map((name) => `${kind} ${name} is listed twice in the README table`)
  ];
}

function inputProblems(readme: string, actionYml: ActionYml): string[] {
  const rows = firstTable(section(readme, 'Inputs'));
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
        problems.push(`input ${row.name} is required in action.yml; its README default should read (required), not "${cell}"`);
      continue;
    }
    if (cell === '(required)') problems.push(`input ${row.name} is not required in action.yml, but the README says (required)`);
    const expected = declared.default ?? '';
    if (expected === '') {
      if (backticked.length > 0)
        problems.push(`input ${row.name} has no default in action.yml, but the README gives \`${backticked.join('`, `')}\``);
    } else if (backticked.length !== 1 || backticked[0] !== expected) {
      problems.push(`input ${row.name}: action.yml's default is \`${expected}\`, the README's default cell is "${cell}"`);
    }
    if ((row.cells[2] ?? '').length < 10) problems.push(`input ${row.name} has no meaning in the README table`);
  }
  return problems;
}

function outputProblems(readme: string, actionYml: ActionYml): string[] {
  const rows = firstTable(section(readme, 'Outputs'));
  const problems = compareNames(
    'output',
    rows.map((row) => row.name),
    Object.keys(actionYml.outputs)
  );
  for (const row of rows) {
    if ((row.cells[1] ?? '').length < 10) problems.push(`output ${row.name} has no meaning in the README table`);
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

function linkProblems(readme: string): string[] {
  const text = withoutCodeBlocks(readme);
  const anchors = new Set(
    text
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) => anchor(line.replace(/^#+ /, '')))
  );
  const problems: string[] = [];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target!)) continue;
    if (target!.startsWith('#')) {
      if (!anchors.has(target!.slice(1))) problems.push(`link ${target} leads to no heading`);
    } else if (!existsSync(fileURLToPath(new URL(target!.split('#')[0]!, ROOT)))) {
      problems.push(`link ${target} leads to no file`);
    }
  }
  return problems;
}

describe('README.md', () => {
  test('its first lines are the two commands a newcomer needs', () => {
    const head = readmeText.split('\n').slice(0, 8).join('\n');
    expect(head).toContain('npm ci && npm run demo');
    expect(head).toContain('npm ci && npm test');
  });

  test('the inputs table lists every input of action.yml, with the same default, and no other', () => {
    expect(inputProblems(readmeText, action)).toEqual([]);
  });

  test('the outputs table lists every output of action.yml, and no other', () => {
    expect(outputProblems(readmeText, action)).toEqual([]);
  });

  test('the strategies section names all nine predefined configurations', () => {
    const strategies = section(readmeText, 'Strategies').join('\n');
    const missing = PREDEFINED_STRATEGIES.filter((name) => !strategies.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  test('the traffic commands table lists exactly the LSD_* variables a command gets', () => {
    const rows = firstTable(section(readmeText, 'Traffic commands')).map((row) => row.name);
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

  test('every JSON example parses', () => {
    const blocks = [...readmeText.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(() => JSON.parse(block)).not.toThrow();
  });

  test('the section the engine maintainer writes is there', () => {
    expect(readmeText).toMatch(/^## Cancellation, interruption and concurrent deployments$/m);
  });

  test('every link to a heading or a file of the repository leads somewhere', () => {
    expect(linkProblems(readmeText)).toEqual([]);
  });
});

describe('the checks notice drift (on in-memory copies)', () => {
  const copy = (): ActionYml => structuredClone(action);
  // Only what the drift adds counts, so that these tests stay quiet when the real files drift.
  const baseline = { inputs: inputProblems(readmeText, action), outputs: outputProblems(readmeText, action) };
  const newInputProblems = (readme: string, actionYml: ActionYml): string[] =>
    inputProblems(readme, actionYml).filter((problem) => !baseline.inputs.includes(problem));
  const newOutputProblems = (readme: string, actionYml: ActionYml): string[] =>
    outputProblems(readme, actionYml).filter((problem) => !baseline.outputs.includes(problem));

  test('a default changed in action.yml', () => {
    const drifted = copy();
    drifted.inputs['alarm-poll-interval']!.default = '15s';
    expect(newInputProblems(readmeText, drifted)).toEqual([
      expect.stringMatching(/^input alarm-poll-interval: action.yml's default is `15s`/)
    ]);
  });

  test('a default changed in the README', () => {
    const drifted = readmeText.replace('| `command-timeout` | `10m` |', '| `command-timeout` | `5m` |');
    expect(drifted).not.toBe(readmeText);
    expect(newInputProblems(drifted, action)).toEqual([
      expect.stringMatching(/^input command-timeout: .* the README's default cell is "`5m`"$/)
    ]);
  });

  test('a default given to an input that has none', () => {
    const drifted = copy();
    drifted.inputs['alarms']!.default = 'orders-errors';
    expect(newInputProblems(readmeText, drifted)).toHaveLength(1);
  });

  test('an input added to action.yml, and one only the README names', () => {
    const drifted = copy();
    drifted.inputs['an-input-only-this-test-knows'] = { description: 'something new', default: 'x' };
    delete drifted.inputs['dry-run'];
    expect(newInputProblems(readmeText, drifted)).toEqual([
      'input an-input-only-this-test-knows is in action.yml but not in the README table',
      'input dry-run is in the README table but not in action.yml'
    ]);
  });

  test('an output added to or removed from action.yml', () => {
    const drifted = copy();
    drifted.outputs['an-output-only-this-test-knows'] = { description: 'x' };
    delete drifted.outputs['plan'];
    expect(newOutputProblems(readmeText, drifted)).toEqual([
      'output an-output-only-this-test-knows is in action.yml but not in the README table',
      'output plan is in the README table but not in action.yml'
    ]);
  });

  test('a required input', () => {
    const drifted = copy();
    drifted.inputs['alias']!.required = true;
    expect(newInputProblems(readmeText, drifted)).toHaveLength(1);
  });
});
