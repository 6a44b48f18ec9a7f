import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// Folders import downwards only: each folder of src/ (each engine of src/engines/ is a folder of
// its own) may import its own files and the folders on the floors below it, never above or
// beside. A folder loop, or an upward import, fails here; so does one engine importing another.

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Floors of src/, lowest first. The files at the top of src/ (entry points, wiring) sit above all. */
const FLOORS: readonly (readonly string[])[] = [
  ['core'],
  ['code'],
  ['strategy', 'aws', 'plan'],
  ['config', 'hooks', 'checks', 'alias'],
  ['release'],
  ['rollout'],
  ['engines/runner', 'engines/codedeploy'],
  ['engines'],
  ['operations'],
  ['report', 'github'],
  ['action']
];

/** The folder (room) a path of src/ is in: its first segment, or `engines/<engine>` inside an engine. */
function roomOf(path: string): string {
  const [first = '.', second] = path.split('/');
  if (first === 'engines' && second !== undefined && path.split('/').length > 2) return `engines/${second}`;
  return path.includes('/') ? first : '.';
}

function floorOf(folder: string): number {
  if (folder === '.') return FLOORS.length;
  const floor = FLOORS.findIndex((floor) => floor.includes(folder));
  if (floor < 0)
    throw new Error(
      `src/${folder}/ has no floor: add it to FLOORS in ${relative(process.cwd(), fileURLToPath(import.meta.url))}`
    );
  return floor;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of the project's sources, as [importing folder, imported folder, file]. */
function folderImports(): Array<{ from: string; to: string; file: string }> {
  return sourceFiles(SRC).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const from = roomOf(relative(SRC, file));
    return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => {
      const target = relative(SRC, resolve(dirname(file), match[1]!));
      return { from, to: roomOf(target), file: relative(SRC, file) };
    });
  });
}

describe('the import graph of src/', () => {
  const imports = folderImports();

  test('it was read (a test that sees no imports proves nothing)', () => {
    expect(imports.length).toBeGreaterThan(100);
  });

  test('folders import only their own files and the floors below', () => {
    const upward = imports
      .filter(({ from, to }) => from !== to && floorOf(to) >= floorOf(from))
      .map(({ file, to }) => `${file} imports ${to}/`);
    expect(upward).toEqual([]);
  });

  test('no folder loops', () => {
    const edges = new Map<string, Set<string>>();
    for (const { from, to } of imports) if (from !== to) edges.set(from, new Set([...(edges.get(from) ?? []), to]));
    const loops: string[] = [];
    const visit = (folder: string, path: string[]): void => {
      if (path.includes(folder)) {
        loops.push([...path.slice(path.indexOf(folder)), folder].join(' → '));
        return;
      }
      for (const next of edges.get(folder) ?? []) visit(next, [...path, folder]);
    };
    for (const folder of edges.keys()) visit(folder, []);
    expect(loops).toEqual([]);
  });

  test('the runner and CodeDeploy engines import nothing of each other', () => {
    const engines = ['engines/runner', 'engines/codedeploy'];
    // Read first: an engine that imports nothing could not show it.
    for (const engine of engines) expect(imports.filter(({ from }) => from === engine).length).toBeGreaterThan(5);
    const across = imports
      .filter(({ from, to }) => engines.includes(from) && engines.includes(to) && from !== to)
      .map(({ file, to }) => `${file} imports ${to}/`);
    expect(across).toEqual([]);
  });

  test('the spine, and what sits below it, know no engine', () => {
    const below = ['core', 'code', 'strategy', 'aws', 'plan', 'config', 'hooks', 'checks', 'alias', 'release', 'rollout'];
    const found = imports.filter(({ from, to }) => below.includes(from) && to.startsWith('engines'));
    expect(found).toEqual([]);
  });

  test('core imports nothing of the project; code packaging and planning only core', () => {
    expect(imports.filter(({ from, to }) => from === 'core' && to !== 'core')).toEqual([]);
    expect(imports.filter(({ from, to }) => from === 'code' && to !== 'code' && to !== 'core')).toEqual([]);
    expect(imports.filter(({ from, to }) => from === 'plan' && to !== 'plan' && to !== 'core')).toEqual([]);
  });
});
