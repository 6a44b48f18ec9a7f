import { describe, expect, test } from '@jest/globals';
import {
  describeInstant,
  insideWindow,
  nextOpening,
  parseDeployWindow,
  windowProblem,
  type DeployWindow
} from '../../src/config/deploy-window.js';
import { InputError } from '../../src/core/input-error.js';
import { judgeWindow } from '../../src/operations/window.js';

// Deploy windows in a time zone's wall time: every instant is given (no clock is read), and the
// daylight saving changes of 2026 are crossed on purpose.

const M = 60_000;
const H = 60 * M;
const utc = (iso: string): number => Date.parse(`${iso}Z`);

function windowOf(text: string): DeployWindow {
  const window = parseDeployWindow(text, 'deploy-window');
  if (!window) throw new Error('no window');
  return window;
}

function refusal(text: string): string {
  try {
    parseDeployWindow(text, 'deploy-window');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe('parsing', () => {
  test('days, a span and a zone; several windows', () => {
    expect(windowOf('Mon-Fri 09:00-16:00 Europe/Berlin').spans).toEqual([
      { days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 960, timeZone: 'Europe/Berlin' }
    ]);
    expect(windowOf('mon,wed,FRI 9:30-24:00 UTC; Fri-Mon 22:00-02:00 America/New_York').spans).toEqual([
      { days: [1, 3, 5], startMinute: 570, endMinute: 1440, timeZone: 'UTC' },
      { days: [0, 1, 5, 6], startMinute: 1320, endMinute: 120, timeZone: 'America/New_York' }
    ]);
    expect(windowOf('daily 00:00-06:00 Asia/Tokyo').spans[0]!.days).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(parseDeployWindow('  ', 'deploy-window')).toBeUndefined();
  });

  test.each([
    ['Mon-Fri 09:00-16:00 Europe/Berln', 'is not a time zone this runner knows'],
    ['Mon-Fri 09:00-16:00', 'is not days, a time span and a time zone'],
    ['Mon-Fry 09:00-16:00 UTC', '"Fry" is not a day'],
    ['Mon-Fri 09:00-25:00 UTC', 'has a time outside 00:00 to 24:00'],
    ['Mon-Fri 09:60-16:00 UTC', 'has a time outside 00:00 to 24:00'],
    ['Mon-Fri 09:00-09:00 UTC', 'starts and ends at the same time'],
    ['Mon-Tue-Wed 09:00-16:00 UTC', 'is not a day or a range of days']
  ])('refuses %s', (text, problem) => {
    const message = refusal(text);
    expect(message).toContain("Input 'deploy-window'");
    expect(message).toContain(problem);
    expect(message).toContain('Mon-Fri 09:00-16:00 Europe/Berlin');
  });
});

describe('inside the window, in the zone’s own time, across daylight saving time', () => {
  const office = windowOf('Mon-Fri 09:00-16:00 Europe/Berlin');

  test('the same UTC time of day is outside in winter time and inside in summer time', () => {
    // Friday 27 March 2026 is CET (UTC+1); Monday 30 March is CEST (UTC+2): Berlin moved its clocks on the 29th.
    expect(insideWindow(office, utc('2026-03-27T07:30'))).toBe(false); // 08:30 CET
    expect(insideWindow(office, utc('2026-03-30T07:30'))).toBe(true); // 09:30 CEST
    expect(insideWindow(office, utc('2026-03-27T14:30'))).toBe(true); // 15:30 CET
    expect(insideWindow(office, utc('2026-03-30T14:30'))).toBe(false); // 16:30 CEST
    expect(insideWindow(office, utc('2026-03-28T10:00'))).toBe(false); // Saturday
  });

  test('a night window lasts two real hours the night the clocks go forward, and four the night they go back', () => {
    const night = windowOf('Sun 01:00-04:00 Europe/Berlin');
    // 29 March: 01:00 CET is 00:00 UTC; 04:00 CEST is 02:00 UTC.
    expect(windowProblem(night, utc('2026-03-29T00:00'), utc('2026-03-29T01:59'))).toBeUndefined();
    expect(windowProblem(night, utc('2026-03-29T00:00'), utc('2026-03-29T02:30'))).toBe(
      "the deploy window (Sun 01:00-04:00 Europe/Berlin) closes at Sun 04:00 Europe/Berlin, before the rollout's planned end at Sun 04:30 Europe/Berlin"
    );
    // 25 October: 01:00 CEST is 23:00 UTC the day before; 04:00 CET is 03:00 UTC.
    expect(windowProblem(night, utc('2026-10-24T23:00'), utc('2026-10-25T02:59'))).toBeUndefined();
    expect(windowProblem(night, utc('2026-10-24T23:00'), utc('2026-10-25T03:01'))).toContain('closes at Sun 04:00');
  });

  test('an overnight span belongs to the day it opens', () => {
    const late = windowOf('Mon-Fri 22:00-02:00 UTC');
    expect(insideWindow(late, utc('2026-11-27T23:00'))).toBe(true); // Friday night
    expect(insideWindow(late, utc('2026-11-28T01:30'))).toBe(true); // Saturday, opened on Friday
    expect(insideWindow(late, utc('2026-11-28T23:00'))).toBe(false); // Saturday night
    expect(insideWindow(late, utc('2026-11-30T01:00'))).toBe(false); // Monday early, opened on Sunday: no
    expect(insideWindow(late, utc('2026-11-30T02:00'))).toBe(false); // the end is not inside
  });

  test('outside now: says when it next opens, in the zone’s time', () => {
    const saturday = utc('2026-11-28T10:00');
    expect(nextOpening(office, saturday)).toBe(utc('2026-11-30T08:00')); // Monday 09:00 CET
    expect(windowProblem(office, saturday, saturday + 30 * M)).toBe(
      'it is Sat 11:00 Europe/Berlin, outside the deploy window (Mon-Fri 09:00-16:00 Europe/Berlin); it next opens Mon 09:00 Europe/Berlin'
    );
    expect(describeInstant(windowOf('daily 09:00-10:00 UTC; daily 09:00-10:00 Asia/Tokyo'), saturday)).toBe(
      'Sat 10:00 UTC / Sat 19:00 Asia/Tokyo'
    );
  });

  test('a window that closes and opens again before the planned end is noticed', () => {
    const split = windowOf('daily 09:00-12:00 UTC; daily 12:30-18:00 UTC');
    expect(windowProblem(split, utc('2026-11-25T11:00'), utc('2026-11-25T13:00'))).toContain('closes at Wed 12:00 UTC');
    expect(windowProblem(split, utc('2026-11-25T12:30'), utc('2026-11-25T17:59'))).toBeUndefined();
  });
});

describe('the verdict on a run', () => {
  const gate = { window: windowOf('Mon-Fri 09:00-16:00 Europe/Berlin') };
  const fridayAfternoon = utc('2026-11-27T14:30'); // 15:30 CET

  test('open when the run and its bakes fit; none without a window', () => {
    expect(judgeWindow(gate, fridayAfternoon, 20 * M, 'octocat', 'deployment')).toEqual({ kind: 'open' });
    expect(judgeWindow(undefined, fridayAfternoon, 100 * H, 'octocat', 'deployment')).toEqual({ kind: 'open' });
  });

  test('refused when the bakes would end after it closes, saying how to override', () => {
    const verdict = judgeWindow(gate, fridayAfternoon, 45 * M, 'octocat', 'deployment');
    expect(verdict).toEqual({
      kind: 'closed',
      reason:
        'the deployment (its bakes take 45m) was refused before anything changed: the deploy window (Mon-Fri 09:00-16:00 ' +
        "Europe/Berlin) closes at Fri 16:00 Europe/Berlin, before the rollout's planned end at Fri 16:15 Europe/Berlin. " +
        'Run it inside the window, or set deploy-window-override to the reason it must run now'
    });
  });

  test('an override lets it run, and says who and why', () => {
    const verdict = judgeWindow({ ...gate, override: 'INC-42 hotfix' }, fridayAfternoon, 45 * M, 'octocat', 'promotion');
    expect(verdict).toMatchObject({ kind: 'overridden' });
    expect(verdict.kind === 'overridden' && verdict.note).toMatch(
      /^The promotion \(its bakes take 45m\) runs outside its deploy window: .*Overridden by octocat: INC-42 hotfix$/
    );
  });
});
