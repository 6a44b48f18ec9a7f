import { describe, expect, test } from '@jest/globals';
import { outcomeFor } from '../../src/github/outcome.js';
import { holdActionReport } from '../../src/operations/outcome.js';
import { holdActionOutputs, renderHoldActionSummary } from '../../src/report/holds.js';
import { outputsFor } from '../../src/report/outputs.js';
import { closingLine, renderSummary } from '../../src/report/summary.js';
import type { HoldRecord } from '../../src/alias/record.js';
import type { DeploymentResult } from '../../src/rollout/result.js';

// What a hold, an abort and a guard report: the outputs, the summary (escaped), the GitHub status.

const HELD_AT = Date.UTC(2026, 10, 25, 12, 0, 0);
const HOLD: HoldRecord = {
  deploymentId: '987654321-1-1a2b3c4d',
  previousVersion: '41',
  newVersion: '42',
  weightPercent: 50,
  remaining: '100%',
  heldAt: HELD_AT / 1000,
  maxAgeSeconds: 86_400
};

const held: DeploymentResult = {
  status: 'held',
  deploymentId: HOLD.deploymentId,
  targets: [{ functionName: 'orders', alias: 'live', published: true, version: '42', previousVersion: '41' }],
  strategy: {
    name: '10%:5m, 50%:hold',
    kind: 'steps',
    steps: [{ weightPercent: 10, bakeMs: 300_000 }],
    hold: { weightPercent: 50, then: [] }
  },
  startedAtMs: HELD_AT - 300_000,
  finishedAtMs: HELD_AT,
  cancelled: false,
  dryRun: false,
  engine: { kind: 'runner', held: { weightPercent: 50, heldAtMs: HELD_AT, maxAgeMs: 86_400_000, afterHold: '100%' } }
};

describe('a held deployment', () => {
  test('its outputs, its closing line and its GitHub deployment: in progress, waiting for approval', () => {
    expect(outputsFor(held)).toMatchObject({
      status: 'held',
      'held-weight': '50',
      version: '42',
      'previous-version': '41',
      'deployment-id': HOLD.deploymentId,
      plan: '[{"weightPercent":10,"bakeSeconds":300},{"weightPercent":50,"bakeSeconds":0,"hold":true},{"weightPercent":100,"bakeSeconds":0}]'
    });
    expect(outputsFor({ ...held, status: 'succeeded' })['held-weight']).toBe('');
    expect(closingLine(held)).toBe(
      'held: version 42 takes 50% of live, waiting for approval: operation promote goes on, operation abort goes back'
    );
    expect(outcomeFor(held)).toEqual({
      state: 'in_progress',
      description: 'Version 42 held at 50 % on orders:live, waiting for approval'
    });
    expect(renderSummary({ result: held, timeline: [], observations: [], hooks: [], warnings: [], plan: [] })).toContain(
      '## ⏸️ Held for approval: orders:live'
    );
  });
});

describe('an abort or a guard', () => {
  const at = { startedAtMs: HELD_AT + 3_600_000, finishedAtMs: HELD_AT + 3_601_000 };

  test('the status comes from the aliases: a failure first, then an abort, then a hold left', () => {
    const aborted = { label: 'orders:live', outcome: 'aborted' as const, message: 'back', hold: HOLD };
    const left = { label: 'orders-worker:live', outcome: 'held' as const, message: 'left', hold: HOLD };
    const none = { label: 'orders-api:live', outcome: 'no-hold' as const, message: 'none' };
    const failed = { label: 'orders-cron:live', outcome: 'failed' as const, message: 'could not be read' };
    expect(holdActionReport('guard', [aborted, left, none], { ...at, actor: 'octocat' }).status).toBe('aborted');
    expect(holdActionReport('guard', [left, none], { ...at, actor: 'octocat' }).status).toBe('held');
    expect(holdActionReport('guard', [none], { ...at, actor: 'octocat' }).status).toBe('skipped');
    expect(holdActionReport('guard', [aborted, failed], { ...at, actor: 'octocat' })).toMatchObject({
      status: 'failed',
      failureReason: 'could not be read'
    });
  });

  test('the outputs name the one hold acted on', () => {
    const report = holdActionReport('abort', [{ label: 'orders:live', outcome: 'aborted', message: 'back', hold: HOLD }], {
      ...at,
      actor: 'octocat',
      reason: 'wrong build'
    });
    expect(holdActionOutputs(report)).toMatchObject({
      status: 'aborted',
      'deployment-id': HOLD.deploymentId,
      version: '42',
      'previous-version': '41',
      versions: '{"orders:live":"42"}',
      'held-weight': '',
      'duration-seconds': '1'
    });
  });

  test('the summary escapes what a person or AWS wrote: the actor, the reason, the messages', () => {
    const report = holdActionReport(
      'abort',
      [{ label: 'orders:live', outcome: 'failed', message: 'AWS said <script>x</script> | [link](http://x)', hold: HOLD }],
      { ...at, actor: '@octocat', reason: '<b>bold</b> `code`' }
    );
    const summary = renderHoldActionSummary(report, ['a | warning']);
    expect(summary).toContain('## ❌ Failed: orders:live');
    expect(summary).toContain('&#64;octocat: &lt;b&gt;bold&lt;/b&gt; &#96;code&#96;');
    expect(summary).toContain('AWS said &lt;script&gt;x&lt;/script&gt; &#124; &#91;link&#93;(http://x)');
    expect(summary).toContain('a &#124; warning');
    expect(summary).not.toContain('<script>');
    expect(summary).toContain('holds version 42 at 50% (previous version 41) since 2026-11-25 12:00 UTC, 1h1s ago');
  });
});
