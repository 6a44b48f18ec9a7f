import { expect, test } from '@jest/globals';
import type { VersionComparison } from '../../src/checks/checks.js';
import { Recorder } from '../../src/rollout/recorder.js';
import { CaptureLog } from '../support/capture-log.js';
import { FakeClock } from '../support/fake-clock.js';

test('untrusted text cannot start a workflow command on a new log line', () => {
  const log = new CaptureLog();
  const recorder = new Recorder(log, new FakeClock());
  recorder.enterPhase('pre-traffic-hook', 'Pre-traffic hook');
  recorder.event('hook said: ok\n::add-mask::x\r\n::error::forged');
  recorder.warning('AWS said:\n::stop-commands::token');
  expect(log.lines).toEqual(['hook said: ok ⏎ ::add-mask::x ⏎ ::error::forged']);
  expect(log.warnings).toEqual(['AWS said: ⏎ ::stop-commands::token']);
  for (const line of [...log.lines, ...log.warnings]) expect(line).not.toMatch(/\n/);
});

test('neither a leading :: nor the older ##[ form survives', () => {
  const log = new CaptureLog();
  const recorder = new Recorder(log, new FakeClock());
  recorder.detail('  ::set-output name=x::y');
  recorder.detail('text ##[stop-commands]token');
  expect(log.lines).toEqual(['›   ::set-output name=x::y', 'text ## [stop-commands]token']);
});

test('events keep the phase and the weight on the new version', () => {
  const clock = new FakeClock(1_000);
  const recorder = new Recorder(new CaptureLog(), clock);
  recorder.enterPhase('shift', 'Shift traffic');
  recorder.event('step 1', 10);
  clock.advance(5_000);
  recorder.event('polled');
  expect(recorder.timeline).toEqual([
    { atMs: 1_000, phase: 'shift', message: 'step 1', weightPercent: 10 },
    { atMs: 6_000, phase: 'shift', message: 'polled', weightPercent: 10 }
  ]);
});

test('analyses are kept for the summary when their numbers or verdict change, with the time they were made', () => {
  const clock = new FakeClock(1_000);
  const recorder = new Recorder(new CaptureLog(), clock);
  const metrics: VersionComparison = {
    functionName: 'orders',
    alias: 'live',
    weightPercent: 10,
    stepStartedAt: 500,
    windowStartMs: 0,
    windowEndMs: 60_000,
    target: { version: '2', invocations: 10, errors: 0 },
    previous: { version: '1', invocations: 90, errors: 0 },
    outcome: 'not-enough-data',
    decidedBy: 'min-invocations'
  };
  const observe = (m: VersionComparison) =>
    recorder.observe([{ check: 'analysis', subject: 'orders:live', state: 's', metrics: m }]);
  observe(metrics);
  clock.advance(10_000);
  observe(metrics); // the same minute read again
  clock.advance(10_000);
  observe({ ...metrics, target: { version: '2', invocations: 60, errors: 0 }, outcome: 'pass' });
  recorder.observe([{ check: 'alarms', subject: 'errors', state: 'OK' }]);
  expect(recorder.analysis.map((p) => [p.atMs, p.target.invocations, p.outcome])).toEqual([
    [1_000, 10, 'not-enough-data'],
    [21_000, 60, 'pass']
  ]);
});
