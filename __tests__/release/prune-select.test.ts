import { describe, expect, test } from '@jest/globals';
import { withHold, writeAliasRecord } from '../../src/alias/record.js';
import { selectPrunable, type PruneFacts } from '../../src/release/prune/select.js';

// Which versions pruning may delete, on data alone: every protected version stays, whatever the rule.

const DAY = 24 * 60 * 60_000;
const NOW = 1_800_000_000_000;

/** Versions 1..n, version i published (n - i) days ago. */
function versions(n: number) {
  return Array.from({ length: n }, (_, i) => ({ version: String(i + 1), lastModifiedMs: NOW - (n - (i + 1)) * DAY }));
}

function facts(overrides: Partial<PruneFacts> = {}): PruneFacts {
  return {
    versions: versions(10),
    aliases: [{ name: 'live', version: '10' }],
    provisioned: [],
    mapped: [],
    nowMs: NOW,
    ...overrides
  };
}

describe('selectPrunable', () => {
  test('keep-versions: the newest N stay, the rest go, newest first', () => {
    const { remove, kept } = selectPrunable(facts(), { keepVersions: 3 });
    expect(remove).toEqual(['7', '6', '5', '4', '3', '2', '1']);
    expect(kept.map((k) => k.version)).toEqual(['10', '9', '8']);
    expect(kept[0]).toEqual({ version: '10', reason: 'alias live points to it' });
    expect(kept[1]).toEqual({ version: '9', reason: 'one of the 3 newest' });
  });

  test('every protected version stays: aliases (main and routed), the rollback target, provisioned concurrency, event source mappings', () => {
    const { remove, kept } = selectPrunable(
      facts({
        aliases: [
          { name: 'live', version: '10', additional: { version: '2', weight: 0.1 } },
          { name: 'staging', version: '4' }
        ],
        previousVersion: '9',
        provisioned: ['live', '3'],
        mapped: ['1']
      }),
      { keepVersions: 1 }
    );
    expect(remove).toEqual(['8', '7', '6', '5']);
    expect(Object.fromEntries(kept.map((k) => [k.version, k.reason]))).toEqual({
      '10': 'alias live points to it',
      '9': 'the previous version (the rollback target)',
      '4': 'alias staging points to it',
      '3': 'it has provisioned concurrency',
      '2': 'alias live routes 10% to it',
      '1': 'an event source mapping names it'
    });
  });

  test("the versions an alias's record names stay: a hold's new and previous versions, the good ones", () => {
    const hold = {
      deploymentId: 'd-1',
      previousVersion: '5',
      newVersion: '7',
      weightPercent: 50,
      remaining: '100%',
      heldAt: 1,
      maxAgeSeconds: 60
    };
    // Someone moved the held alias by hand: its routing names neither, its record both.
    const description = writeAliasRecord(withHold({ good: ['5', '2'] }, hold));
    const { remove, kept } = selectPrunable(facts({ aliases: [{ name: 'live', version: '10', description }] }), {
      keepVersions: 1
    });
    expect(remove).toEqual(['9', '8', '6', '4', '3', '1']);
    expect(Object.fromEntries(kept.map((k) => [k.version, k.reason]))).toEqual({
      '10': 'alias live points to it',
      '7': 'alias live holds it for approval (deployment d-1)',
      '5': 'alias live holds a rollout whose abort goes back to it',
      '2': 'alias live records it as good (rollback-to: last-good)'
    });
  });

  test('keep-days: younger versions stay, and a version of unknown age stays too', () => {
    const list = versions(10).map((v) => (v.version === '2' ? { version: '2' } : v));
    const { remove, kept } = selectPrunable(facts({ versions: list }), { keepDays: 5 });
    // Version i is 10 - i days old: 6 to 10 are under 5 days old, and version 2's age is not known.
    expect(remove).toEqual(['5', '4', '3', '1']);
    expect(kept.find((k) => k.version === '2')?.reason).toBe('its age is not known');
    expect(kept.find((k) => k.version === '6')?.reason).toBe('published 4 days ago (keep-days 5)');
  });

  test('both rules: a version must be beyond the newest N and older than D days to go', () => {
    expect(selectPrunable(facts(), { keepVersions: 2, keepDays: 5 }).remove).toEqual(['5', '4', '3', '2', '1']);
    expect(selectPrunable(facts(), { keepVersions: 8, keepDays: 5 }).remove).toEqual(['2', '1']);
  });

  test('over many pages: a thousand versions, order in the listing does not matter', () => {
    const many = versions(1000).reverse();
    const { remove, kept } = selectPrunable(
      facts({ versions: many, aliases: [{ name: 'live', version: '1000' }], previousVersion: '999' }),
      {
        keepVersions: 5
      }
    );
    expect(kept.map((k) => k.version)).toEqual(['1000', '999', '998', '997', '996']);
    expect(remove).toHaveLength(995);
    expect(remove[0]).toBe('995');
    expect(remove.at(-1)).toBe('1');
  });
});
