/**
 * package.json says what the action ships: every package src/ imports is a production dependency
 * (so it is in the bundle's licence file), and every production dependency is imported by src/ (an
 * unused one is dead weight in every install). The licence file beside the bundle names them all.
 */
import { expect, test } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines: { node: string };
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The packages src/ imports (statically or with import()), by package name. */
function importedPackages(): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*'([^.'][^']*)'/g)) {
      if (specifier!.startsWith('node:') || builtinModules.includes(specifier!)) continue;
      names.add(specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!);
    }
  }
  return names;
}

test('src/ imports only production dependencies, and every production dependency is imported', () => {
  const imported = importedPackages();
  expect(imported.size).toBeGreaterThan(5);
  expect([...imported].filter((name) => !(name in manifest.dependencies))).toEqual([]);
  expect(Object.keys(manifest.dependencies).filter((name) => !imported.has(name))).toEqual([]);
});

test('the licence file beside the bundle names every production dependency', () => {
  const licenses = readFileSync(join(ROOT, 'dist/steps/licenses.txt'), 'utf8');
  const missing = Object.keys(manifest.dependencies).filter((name) => !new RegExp(`^${name}@`, 'm').test(licenses));
  expect(missing).toEqual([]);
});

test('engines, the Node types and the runtime of action.yml agree', () => {
  const using = /^\s+using:\s*'?(node\d+)'?\s*$/m.exec(readFileSync(join(ROOT, 'action.yml'), 'utf8'))?.[1];
  expect(using).toBe('node24');
  // Types of the Node the action runs on; the tools run on any Node the engines field admits.
  expect(manifest.devDependencies['@types/node']).toMatch(/^\^24\./);
  const minimum = Number(/^>=(\d+)$/.exec(manifest.engines.node)?.[1]);
  expect(minimum).toBeLessThanOrEqual(24);
  expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(minimum);
});
