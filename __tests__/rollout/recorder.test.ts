import { expect, test } from '@jest/globals';
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
