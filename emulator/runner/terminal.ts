/**
 * Shows what the runner would show, in a terminal: workflow commands as headings and the Markdown
 * job summary as plain text, every line wrapped to the terminal's width (120 columns when the
 * output is not a terminal). Tables keep their columns, the widest cells wrapped within them.
 */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** Columns when the output is not a terminal (a file, a pipe, CI's log). */
export const DEFAULT_WIDTH = 120;
/** Below this a table column is not narrowed further: its rows are listed field by field instead. */
const MIN_COLUMN_WIDTH = 8;
const TABLE_INDENT = '  ';
const COLUMN_GAP = '  ';

/** The width to wrap to: the terminal's, or DEFAULT_WIDTH when the output is not a terminal. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stream.isTTY && stream.columns ? Math.max(40, stream.columns) : DEFAULT_WIDTH;
}

/**
 * `text` wrapped to `width` columns (display columns: an emoji takes two). Continuation lines keep
 * the text's own leading blanks plus `hanging`.
 */
export function wrapLine(text: string, width: number, hanging = '  '): string {
  if (stringWidth(text) <= width) return text;
  const lead = /^\s*/.exec(text)![0];
  const [first = '', ...rest] = wrapAnsi(text.slice(lead.length), width - lead.length, { hard: true }).split('\n');
  const continuation = lead + hanging;
  const tail = rest.join(' ');
  const wrappedTail = tail === '' ? [] : wrapAnsi(tail, width - continuation.length, { hard: true }).split('\n');
  return [lead + first, ...wrappedTail.map((line) => continuation + line)].join('\n');
}

/** A runner log line as the Actions UI would present it, wrapped to `width`. */
export function logLineForTerminal(line: string, width = DEFAULT_WIDTH): string | undefined {
  if (line.startsWith('::endgroup::')) return undefined;
  const group = /^::group::(.*)$/.exec(line);
  if (group) return `\n${wrapLine(`  ▸ ${decodeCommand(group[1]!)}`, width)}`;
  const command = /^::(error|warning|notice)[^:]*::(.*)$/.exec(line);
  if (command) return wrapLine(`    ${command[1]!.toUpperCase()}: ${decodeCommand(command[2]!)}`, width);
  if (line.startsWith('::')) return undefined;
  return wrapLine(`    ${line}`, width);
}

/** The step's outputs, one per line, each wrapped to `width`. */
export function outputsForTerminal(exitCode: number | null, outputs: Record<string, string>, width = DEFAULT_WIDTH): string {
  const lines = [`  exit code ${exitCode}; outputs:`];
  for (const [name, value] of Object.entries(outputs)) lines.push(wrapLine(`    ${name}: ${value}`.trimEnd(), width));
  return lines.join('\n');
}

/**
 * Renders the job summary's Markdown as plain text: headings and quotes as plain lines, tables
 * aligned (cells wrapped where the table would not fit), no HTML, charts as a note.
 */
export function summaryForTerminal(markdown: string, width = DEFAULT_WIDTH): string {
  const out: string[] = [];
  let table: string[][] = [];
  const flush = (): void => {
    if (table.length > 0) out.push(...renderTable(table, width));
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
      if (/^\|[-:| ]+\|$/.test(line)) continue;
      table.push(
        line
          .slice(1, -1)
          .split(/(?<!\\) \| /)
          .map((cell) => plain(cell.trim()))
      );
      continue;
    }
    flush();
    // A collapsed section (the plan) shows its title as a heading; the tags themselves go.
    const details = /^<details[^>]*><summary>(.*)<\/summary>$/.exec(line);
    if (details) {
      out.push(plain(details[1]!));
      continue;
    }
    if (line === '</details>') continue;
    const text = plain(line.replace(/^#+ /, '').replace(/^> /, '  '));
    // A numbered item continues under its text, after the number.
    const number = /^\d+\. /.exec(text)?.[0];
    out.push(wrapLine(text, width, number ? ' '.repeat(number.length) : '  '));
  }
  flush();
  // Dropped tags can leave runs of blank lines: keep one.
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
}

/**
 * A table with its columns aligned. When it is wider than `width`, the space is shared out: columns
 * narrower than an even share keep their width, the others split what is left and wrap their cells
 * over several lines. A table that cannot fit that way is listed row by row, `header: value` lines.
 */
function renderTable(rows: string[][], width: number): string[] {
  const columns = Math.max(...rows.map((row) => row.length));
  const natural = Array.from({ length: columns }, (_, column) => Math.max(...rows.map((row) => stringWidth(row[column] ?? ''))));
  const widths = columnWidths(natural, width - TABLE_INDENT.length - COLUMN_GAP.length * (columns - 1));
  if (!widths) return tableAsRecords(rows, width);
  return rows.flatMap((row) => {
    const cells = widths.map((columnWidth, column) => wrapAnsi(row[column] ?? '', columnWidth, { hard: true }).split('\n'));
    const height = Math.max(...cells.map((cell) => cell.length));
    return Array.from({ length: height }, (_, line) =>
      (
        TABLE_INDENT +
        cells.map((cell, column) => padEnd(cell[line] ?? '', column === columns - 1 ? 0 : widths[column]!)).join(COLUMN_GAP)
      ).trimEnd()
    );
  });
}

/** Widths that add up to at most `available`, by water-filling; undefined when a share would be too narrow. */
function columnWidths(natural: readonly number[], available: number): number[] | undefined {
  if (natural.reduce((sum, each) => sum + each, 0) <= available) return [...natural];
  const widths = [...natural];
  let open = natural.map((_, column) => column);
  let remaining = available;
  for (;;) {
    const share = Math.floor(remaining / open.length);
    if (share < MIN_COLUMN_WIDTH) return undefined;
    const fitting = open.filter((column) => natural[column]! <= share);
    if (fitting.length === 0) {
      open.forEach((column, index) => (widths[column] = share + (index < remaining - share * open.length ? 1 : 0)));
      return widths;
    }
    for (const column of fitting) remaining -= natural[column]!;
    open = open.filter((column) => !fitting.includes(column));
  }
}

function tableAsRecords(rows: string[][], width: number): string[] {
  const [header = [], ...body] = rows;
  return body.flatMap((row, index) => [
    ...(index > 0 ? [''] : []),
    ...row.map((cell, column) => wrapLine(`${TABLE_INDENT}${header[column] ?? ''}: ${cell}`, width))
  ]);
}

/** Pads by display width (an emoji takes two columns). */
function padEnd(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - stringWidth(text)));
}

function plain(text: string): string {
  return (
    text
      // A break at the end of a line (the plan's) is that line's end; inside a table cell it separates items.
      .replace(/<br>$/gm, '')
      .replace(/<br>/g, ' / ')
      .replace(/<\/?[a-z][^>]*>/g, '')
      .replace(/\\\|/g, '|')
      .replace(/\*\*/g, '')
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
      .replace(/&(amp|lt|gt|quot);/g, (_, name: string) => ENTITIES[name] ?? '')
  );
}

function decodeCommand(text: string): string {
  return text.replace(/%0D/g, '').replace(/%0A/g, ' ').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}
