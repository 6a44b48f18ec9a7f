/**
 * Shows what the runner would show, in a terminal: workflow commands as headings and the
 * Markdown job summary as aligned plain text.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** A runner log line as the Actions UI would present it. */
export function logLineForTerminal(line: string): string | undefined {
  if (line.startsWith('::endgroup::')) return undefined;
  const group = /^::group::(.*)$/.exec(line);
  if (group) return `\n  ▸ ${decodeCommand(group[1]!)}`;
  const command = /^::(error|warning|notice)[^:]*::(.*)$/.exec(line);
  if (command) return `    ${command[1]!.toUpperCase()}: ${decodeCommand(command[2]!)}`;
  if (line.startsWith('::')) return undefined;
  return `    ${line}`;
}

/** Renders the job summary's Markdown as plain text with aligned tables (charts as a note). */
export function summaryForTerminal(markdown: string): string {
  const out: string[] = [];
  let table: string[][] = [];
  const flush = (): void => {
    if (table.length > 0) out.push(...alignTable(table));
    table = [];
  };
  let inChart = false;
  for (const line of markdown.split('\n')) {
    // A terminal cannot draw Mermaid: say which chart is there instead of printing its source.
    if (line === '```mermaid' || (inChart && line === '```')) {
      inChart = !inChart;
      continue;
    }
    if (inChart) {
      const title = /^\s*title "(.*)"$/.exec(line)?.[1];
      if (title) out.push(`  [chart: ${title}, drawn by GitHub in the job summary]`);
      continue;
    }
    if (line.startsWith('|')) {
      if (/^\|[-| ]+\|$/.test(line)) continue;
      table.push(
        line
          .slice(1, -1)
          .split(' | ')
          .map((cell) => plain(cell.trim()))
      );
      continue;
    }
    flush();
    out.push(plain(line.replace(/^#+ /, '').replace(/^> /, '  ')));
  }
  flush();
  return out.join('\n');
}

function alignTable(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map(
    (row) =>
      '  ' +
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd()
  );
}

function plain(text: string): string {
  return (
    text
      // A break at the end of a line (the plan's) is that line's end; inside a table cell it separates items.
      .replace(/<br>$/gm, '')
      .replace(/<br>/g, ' / ')
      .replace(/<\/?code>/g, '')
      .replace(/\*\*/g, '')
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
      .replace(/&(amp|lt|gt|quot);/g, (_, name: string) => ENTITIES[name] ?? '')
  );
}

function decodeCommand(text: string): string {
  return text.replace(/%0D/g, '').replace(/%0A/g, ' ').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}
