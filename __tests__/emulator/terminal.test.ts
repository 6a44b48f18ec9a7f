import { describe, expect, test } from '@jest/globals';
import stringWidth from 'string-width';
import {
  logLineForTerminal,
  outputsForTerminal,
  summaryForTerminal,
  terminalWidth,
  wrapLine
} from '../../emulator/runner/terminal.js';

const widest = (text: string): number => Math.max(...text.split('\n').map((line) => stringWidth(line)));
const words = (count: number, word = 'word'): string => Array.from({ length: count }, (_, i) => `${word}${i}`).join(' ');

test('the plan reads as one step per line, under its title, with no HTML left', () => {
  const plan = '<details><summary>The plan</summary>\n\n1. Publish a new version<br>\n2. Promote\n\n</details>';
  const shown = summaryForTerminal(plan);
  expect(shown.split('\n')).toEqual(['The plan', '', '1. Publish a new version', '2. Promote']);
});

test('breaks inside a table cell separate its items, and the columns line up', () => {
  const table = '| Hook | Result |\n|---|---|\n| smoke<br>load | passed &amp; logged |';
  expect(summaryForTerminal(table).split('\n')).toEqual(['  Hook          Result', '  smoke / load  passed & logged']);
});

test('escaped text is shown as text, and no tag is left', () => {
  const summary = '> **Rollback reason:** hook said &lt;b&gt;no&lt;/b&gt;\n\n<sub>footnote</sub>';
  const shown = summaryForTerminal(summary);
  expect(shown).toContain('Rollback reason: hook said <b>no</b>');
  expect(shown).toContain('footnote');
  expect(shown).not.toContain('<sub>');
});

describe('every line fits the width', () => {
  test.each([120, 80, 50])('a long quoted reason, a long numbered item and a wide table, at %i columns', (width) => {
    const summary = [
      `> **Rollback reason:** ${words(60)}`,
      '',
      `7. ${words(40)}`,
      '',
      '| Time | Phase | Event | Weight |',
      '|---|---|---|---|',
      `| +0.1s | preflight | ${words(30)} | 0% |`,
      `| +1.8s | rollback | ✅ ${words(12, 'arn:aws:lambda:us-east-1:123456789012:function:orders:')} | 20% |`
    ].join('\n');
    const shown = summaryForTerminal(summary, width);
    expect(widest(shown)).toBeLessThanOrEqual(width);
    // Nothing is lost: every word is still there, in order.
    expect(shown.replace(/\s+/g, '')).toContain(words(30).replace(/\s+/g, ''));
    expect(shown.split('\n').find((line) => line.startsWith('7. '))).toBeDefined();
  });

  test('a table with too many columns for the width is listed field by field', () => {
    const header = `| ${Array.from({ length: 12 }, (_, i) => `Column ${i}`).join(' | ')} |`;
    const row = `| ${Array.from({ length: 12 }, (_, i) => `value-${i}-${'x'.repeat(10)}`).join(' | ')} |`;
    const shown = summaryForTerminal(`${header}\n|${'---|'.repeat(12)}\n${row}`, 60);
    expect(widest(shown)).toBeLessThanOrEqual(60);
    expect(shown.split('\n')).toContain(`  Column 11: value-11-${'x'.repeat(10)}`);
  });

  test('log lines, workflow commands and outputs wrap under their own indent', () => {
    const log = logLineForTerminal(`Rolling back: ${words(50)}`, 80)!;
    expect(widest(log)).toBeLessThanOrEqual(80);
    expect(
      log
        .split('\n')
        .slice(1)
        .every((line) => line.startsWith('      '))
    ).toBe(true);
    const error = logLineForTerminal(`::error::rolled-back: ${words(50)}`, 80)!;
    expect(error.startsWith('    ERROR: rolled-back: word0')).toBe(true);
    expect(widest(error)).toBeLessThanOrEqual(80);
    const outputs = outputsForTerminal(1, { 'failure-reason': words(50), 'previous-version': '2', empty: '' }, 80);
    expect(widest(outputs)).toBeLessThanOrEqual(80);
    expect(outputs.split('\n')).toEqual(expect.arrayContaining(['    previous-version: 2', '    empty:']));
  });

  test('a short line is left as it is', () => {
    expect(wrapLine('    short', 20)).toBe('    short');
  });
});

test('the width is the terminal’s, or 120 when the output is not a terminal', () => {
  expect(terminalWidth({ isTTY: false, columns: 300 })).toBe(120);
  expect(terminalWidth({})).toBe(120);
  expect(terminalWidth({ isTTY: true, columns: 120 })).toBe(120);
  expect(terminalWidth({ isTTY: true, columns: 80 })).toBe(80);
});
