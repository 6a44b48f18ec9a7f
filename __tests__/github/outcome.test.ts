import { describe, expect, it } from '@jest/globals';
import { capDescription, deploymentStateFor, outcomeFor } from '../../src/github/outcome.js';
import type { FinalStatus } from '../../src/rollout/phases.js';
import type { DeploymentResult, TargetResult } from '../../src/rollout/result.js';

/** A result of one function, `orders:live`, 41 → 42, with overrides of the deployment and of the function. */
function result(
  overrides: Partial<DeploymentResult> & Partial<Pick<TargetResult, 'version' | 'previousVersion'>>
): DeploymentResult {
  const { version, previousVersion, ...rest } = { version: '42', previousVersion: '41', ...overrides };
  return {
    status: 'succeeded',
    deploymentId: '987654321-1-1a2b3c4d',
    targets: [
      {
        functionName: 'orders',
        alias: 'live',
        published: true,
        ...(version !== undefined ? { version } : {}),
        ...(previousVersion !== undefined ? { previousVersion } : {})
      }
    ],
    strategy: { name: 'Canary10Percent5Minutes', kind: 'canary', steps: [{ weightPercent: 10, bakeMs: 300_000 }] },
    startedAtMs: 0,
    finishedAtMs: 1000,
    cancelled: false,
    dryRun: false,
    engine: { kind: 'runner' },
    ...rest
  };
}

describe('deploymentStateFor', () => {
  it.each<[FinalStatus, boolean, string]>([
    ['succeeded', false, 'success'],
    ['skipped', false, 'success'],
    ['rolled-back', false, 'failure'],
    ['failed', false, 'failure'],
    ['rolled-back', true, 'error'],
    ['failed', true, 'error'],
    ['succeeded', true, 'error'],
    ['skipped', true, 'error']
  ])('%s, cancelled %s: %s', (status, cancelled, state) => {
    expect(deploymentStateFor(status, cancelled)).toBe(state);
  });
});

describe('outcomeFor', () => {
  it('a dry run: no outcome (no deployment was created)', () => {
    expect(outcomeFor(result({ status: 'skipped', dryRun: true, version: undefined }))).toBeUndefined();
  });

  it('succeeded', () => {
    expect(outcomeFor(result({}))).toEqual({
      state: 'success',
      description: 'Version 42 live on orders:live (Canary10Percent5Minutes)'
    });
  });

  it('skipped: already live', () => {
    expect(outcomeFor(result({ status: 'skipped' }))).toEqual({
      state: 'success',
      description: 'Version 42 was already live on orders:live: nothing changed'
    });
  });

  it('rolled back, to the previous version or (first deployment) to none', () => {
    const reason = 'alarm orders-errors in ALARM';
    expect(outcomeFor(result({ status: 'rolled-back', failureReason: reason }))).toEqual({
      state: 'failure',
      description: 'Rolled back to version 41: alarm orders-errors in ALARM'
    });
    expect(outcomeFor(result({ status: 'rolled-back', previousVersion: undefined, failureReason: reason }))?.description).toBe(
      'Rolled back: alarm orders-errors in ALARM'
    );
  });

  it('failed, with a manual fix pointed to', () => {
    expect(outcomeFor(result({ status: 'failed', failureReason: 'preflight: alarm x missing' }))).toEqual({
      state: 'failure',
      description: 'Failed: preflight: alarm x missing'
    });
    expect(
      outcomeFor(result({ status: 'failed', failureReason: 'boom', manualFix: 'aws lambda update-alias ...' }))?.description
    ).toBe('Failed (alias needs a manual fix, see the job summary): boom');
  });

  it('cancelled: error', () => {
    expect(
      outcomeFor(
        result({ status: 'rolled-back', cancelled: true, failureReason: 'the deployment was cancelled during shift (SIGINT)' })
      )
    ).toEqual({ state: 'error', description: 'Cancelled, rolled-back: the deployment was cancelled during shift (SIGINT)' });
  });

  it('a long reason is capped at 140 characters', () => {
    const outcome = outcomeFor(result({ status: 'rolled-back', failureReason: 'x'.repeat(1000) }));
    expect(outcome?.description).toHaveLength(140);
    expect(outcome?.description.endsWith('…')).toBe(true);
  });
});

describe('capDescription', () => {
  it('keeps short text as it is', () => {
    expect(capDescription('Version 42 live')).toBe('Version 42 live');
    expect(capDescription('y'.repeat(140))).toBe('y'.repeat(140));
  });

  it('cuts at 140 code points, never inside a surrogate pair', () => {
    const text = '🚀'.repeat(200);
    const capped = capDescription(text);
    expect(Array.from(capped)).toHaveLength(140);
    expect(capped).toBe(`${'🚀'.repeat(139)}…`);
    expect(capped).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no lone high surrogate
  });

  it('one line, no control characters', () => {
    expect(capDescription('a\u0000b\n\tc  \u001b[31md')).toBe('a b c [31md');
  });
});
