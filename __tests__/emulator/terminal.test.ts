import { expect, test } from '@jest/globals';
import { summaryForTerminal } from '../../emulator/runner/terminal.js';

test('the plan reads as one step per line, with no break marks left at the ends', () => {
  const plan = '<details><summary>The plan</summary>\n\n1. Publish a new version<br>\n2. Promote\n\n</details>';
  expect(summaryForTerminal(plan).split('\n')).toContain('1. Publish a new version');
});

test('breaks inside a table cell separate its items, and the columns line up', () => {
  const table = '| Hook | Result |\n|---|---|\n| smoke<br>load | passed &amp; logged |';
  expect(summaryForTerminal(table).split('\n')).toEqual(['  Hook          Result', '  smoke / load  passed & logged']);
});
