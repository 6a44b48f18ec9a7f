import { expect, test } from '@jest/globals';
import { formatElapsed, renderSummary } from '../../src/report/summary.js';
import { escapeForSummary } from '../../src/report/text.js';
import type { DeploymentResult } from '../../src/rollout/result.js';
import { parseStrategy } from '../../src/config/strategy.js';

const base: DeploymentResult = {
  status: 'rolled-back',
  deploymentId: '42-1-abcdef12',
  targets: [
    {
      functionName: 'orders',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
      alias: 'live',
      aliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:live',
      version: '4',
      published: true,
      previousVersion: '3'
    }
  ],
  strategy: parseStrategy('Canary10Percent5Minutes'),
  startedAtMs: 0,
  finishedAtMs: 95_000,
  failureReason: 'alarm errors is in ALARM (Threshold crossed)',
  cancelled: false,
  dryRun: false,
  engine: { kind: 'runner' }
};

test('the result, the versions and the rollback reason come first', () => {
  const markdown = renderSummary({ result: base, timeline: [], observations: [], hooks: [], warnings: [], plan: [] });
  const lines = markdown.split('\n');
  expect(lines[0]).toBe('## ↩️ Rolled back: orders:live');
  expect(lines[2]).toBe('> **Rollback reason:** alarm errors is in ALARM (Threshold crossed)');
  expect(markdown).toContain('| New version | 4 |');
  expect(markdown).toContain('| Previous version | 3 |');
  expect(markdown).toContain('| Duration | 1m35s |');
  expect(formatElapsed(2_054)).toBe('2.1s');
  expect(formatElapsed(245_000)).toBe('4m05s');
});

test('timeline, alarms and hooks are tables', () => {
  const markdown = renderSummary({
    result: base,
    timeline: [{ atMs: 10_000, phase: 'shift', message: 'Step 1/1: 10%', weightPercent: 10 }],
    observations: [{ check: 'alarms', subject: 'errors', state: 'ALARM', detail: 'Threshold crossed' }],
    hooks: [
      { hook: 'lambda:pre', event: 'BeforeAllowTraffic', passed: true, response: '{"status":"Succeeded"}', durationMs: 1200 }
    ],
    warnings: [],
    plan: []
  });
  expect(markdown).toContain('| +10.0s | shift | Step 1/1: 10% | 10% |');
  expect(markdown).toContain('| alarms | errors | ALARM | Threshold crossed |');
  expect(markdown).toContain('| lambda:pre | BeforeAllowTraffic | passed | 1.2s |');
});

test('untrusted text cannot inject markup, break a table or grow without bound', () => {
  const hostile = '<img src=x onerror=alert(1)> | [click](https://evil) @everyone\n# heading ' + 'A'.repeat(50_000);
  const markdown = renderSummary({
    result: { ...base, failureReason: hostile },
    timeline: [],
    observations: [],
    hooks: [
      { hook: 'lambda:pre', event: 'BeforeAllowTraffic', passed: false, reason: hostile, response: hostile, durationMs: 1 }
    ],
    warnings: [],
    plan: []
  });
  expect(markdown).not.toContain('<img');
  expect(markdown).not.toContain('[click]');
  expect(markdown).not.toContain('@everyone');
  expect(markdown).not.toMatch(/\n# heading/);
  expect(markdown.length).toBeLessThan(10_000);
  for (const row of markdown.split('\n').filter((line) => line.startsWith('| lambda:pre'))) {
    expect(row.split(' | ')).toHaveLength(5);
  }
});

test('escapeForSummary turns markup into entities and lines into <br>', () => {
  expect(escapeForSummary('a<b>|c\nd', 100)).toBe('a&lt;b&gt;&#124;c<br>d');
  expect(escapeForSummary('x'.repeat(20), 5)).toBe('xxxxx… (truncated, 20 chars)');
});

test('the source row names the commit, ref and actor, and links the run', () => {
  const markdown = renderSummary({
    result: {
      ...base,
      source: {
        owner: 'acme',
        repo: 'orders',
        sha: '0123456789abcdef',
        ref: 'refs/heads/main',
        actor: 'octo_cat',
        runUrl: 'https://github.com/acme/orders/actions/runs/7'
      }
    },
    timeline: [],
    observations: [],
    hooks: [],
    warnings: [],
    plan: []
  });
  expect(markdown).toContain(
    '| Source | acme/orders&#64;0123456789ab (refs/heads/main) by octo&#95;cat, <a href="https://github.com/acme/orders/actions/runs/7">run</a> |'
  );
});

test('a run URL that is not http(s) is not made a link', () => {
  const markdown = renderSummary({
    result: { ...base, source: { owner: 'a', repo: 'b', sha: 'c', runUrl: 'javascript:alert(1)' } },
    timeline: [],
    observations: [],
    hooks: [],
    warnings: [],
    plan: []
  });
  expect(markdown).not.toContain('javascript:');
});

test('the code brought, the changes from the live version by name, and what $LATEST keeps after a rollback', () => {
  const target = {
    ...base.targets[0]!,
    codeSha256: 'abc=',
    code: { source: 'directory dist/', files: 12, size: 1536, codeSha256: 'abc=', upload: 'uploaded' as const },
    changes: ['code', 'memory-size', 'env-vars (DB_URL)'],
    latestChanged: 'new code and configuration'
  };
  const markdown = renderSummary({
    result: { ...base, targets: [target] },
    timeline: [],
    observations: [],
    hooks: [],
    warnings: [],
    plan: []
  });
  expect(markdown).toContain('| Code | directory dist/ (12 files, 1.5 KB), CodeSha256 <code>abc=</code>: uploaded |');
  expect(markdown).toContain('| Changes from the live version | code, memory-size, env-vars (DB&#95;URL) |');
  expect(markdown).toContain('| <code>$LATEST</code> | keeps the new code and configuration: the alias does not serve it');
  const succeeded = renderSummary({
    result: { ...base, status: 'succeeded', targets: [target] },
    timeline: [],
    observations: [],
    hooks: [],
    warnings: [],
    plan: []
  });
  expect(succeeded).not.toContain('<code>$LATEST</code> |');
  const found = renderSummary({
    result: { ...base, status: 'succeeded', targets: [{ ...target, code: { ...target.code, upload: 'in-latest' as const } }] },
    timeline: [],
    observations: [],
    hooks: [],
    warnings: [],
    plan: []
  });
  expect(found).toContain('already in <code>$LATEST</code>, not uploaded again |');
});

test('the plan is an ordered list, one step per item, folded away unless the run was a dry run', () => {
  const plan = ['1. Publish a new version of orders', '2. Step 1/1: 10% of live'];
  const render = (dryRun: boolean): string =>
    renderSummary({ result: { ...base, dryRun }, timeline: [], observations: [], hooks: [], warnings: [], plan });
  expect(render(false)).toContain(
    '<details><summary>The plan</summary>\n\n1. Publish a new version of orders\n2. Step 1/1: 10% of live\n\n</details>'
  );
  expect(render(true)).toContain('<details open><summary>The plan</summary>');
});

test('an upload whose answer never came and could not be read back is said to be unknown, never "not uploaded"', () => {
  const target = {
    ...base.targets[0]!,
    code: { source: 'directory build/', files: 3, size: 2048, codeSha256: 'bmV3=', upload: 'unknown' as const },
    latestChanged: 'new code'
  };
  const markdown = renderSummary({
    result: { ...base, status: 'failed', targets: [target] },
    timeline: [],
    observations: [],
    hooks: [],
    warnings: [],
    plan: []
  });
  expect(markdown).toContain(
    ': sent, but its answer never came and <code>$LATEST</code> could not be read back: it may hold this code |'
  );
  expect(markdown).not.toContain('not uploaded');
});

test("with an engine whose service gives the deployment an id (CodeDeploy's), the deployment id row is that, as the deployment-id output", () => {
  const markdown = renderSummary({
    result: { ...base, engine: { kind: 'codedeploy', trackingId: 'd-A1B2C3D4E' } },
    timeline: [],
    observations: [],
    hooks: [],
    warnings: [],
    plan: []
  });
  expect(markdown).toContain('| Deployment id | <code>d-A1B2C3D4E</code> |');
  expect(renderSummary({ result: base, timeline: [], observations: [], hooks: [], warnings: [], plan: [] })).toContain(
    '| Deployment id | <code>42-1-abcdef12</code> |'
  );
});
