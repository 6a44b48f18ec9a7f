/**
 * Writes the licenses of every production dependency (package-lock.json, not dev) beside the
 * bundle: `tsx scripts/third-party-licenses.ts dist/steps/licenses.txt`.
 * Hand-written because ncc's own `--license` keeps only the last chunk's packages once a bundle
 * has lazily loaded chunks (it writes one file per chunk, each under the same name). All production
 * dependencies are listed, a superset of what the bundle holds.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockedPackage {
  readonly version?: string;
  readonly license?: string;
  readonly dev?: boolean;
}

interface PackageJson {
  readonly name?: string;
  readonly license?: string;
  readonly licenses?: ReadonlyArray<{ readonly type?: string }>;
}

const LICENSE_FILE = /^(licen[cs]e|copying)(\.|$)/i;

function licenseEntry(path: string, locked: LockedPackage): string {
  const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as PackageJson;
  const name = manifest.name ?? path.replace(/^.*node_modules\//, '');
  const id = locked.license ?? manifest.license ?? manifest.licenses?.map((each) => each.type).join(' OR ') ?? 'UNKNOWN';
  const file = readdirSync(path)
    .filter((entry) => LICENSE_FILE.test(entry))
    .sort()[0];
  const text = file ? readFileSync(join(path, file), 'utf8').trim() : '(no license file in the package)';
  return `${name}@${locked.version ?? '?'}\n${id}\n${text}\n`;
}

function main(): void {
  const out = process.argv[2];
  if (!out) throw new Error('usage: tsx scripts/third-party-licenses.ts <output file>');
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockedPackage> };
  const entries = Object.entries(lock.packages)
    .filter(([path, locked]) => path !== '' && !locked.dev)
    .map(([path, locked]) => licenseEntry(path, locked));
  const unique = [...new Set(entries)].sort();
  writeFileSync(out, unique.join('\n'));
}

main();
