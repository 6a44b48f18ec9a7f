import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { SdkLambdaInventoryGateway } from '../../src/aws/sdk-lambda-inventory-gateway.js';
import { VERSION_READY_BUDGET_MS } from '../../src/release/existing-version.js';
import { EmulatedAws, FUNCTION_ARN, testClients } from '../support/engine-harness.js';

// The trigger audit, existing versions and pruning through the real spine and runner, over the
// emulator in-process on a fake clock: the edges the end-to-end tests do not reach (permissions
// refused, versions that never become Active, deletes that fail, several functions).

let aws: EmulatedAws;
beforeEach(() => {
  aws = new EmulatedAws();
});
afterEach(() => {
  aws.restore();
});

const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:jobs';

describe('the trigger audit', () => {
  test('a read the credentials may not make is a warning naming the permission; with fail it refuses, failing closed', async () => {
    aws.orders({ live: '1' });
    aws.emu.denyActions(['lambda:ListEventSourceMappings']);
    const warned = await aws.deploy();
    expect(warned.result.status).toBe('succeeded');
    expect(warned.report.warnings).toContainEqual(
      expect.stringMatching(
        /^trigger audit incomplete: the event source mappings of orders could not be read: these credentials may not lambda:ListEventSourceMappings/
      )
    );

    const strict = new EmulatedAws();
    try {
      strict.orders({ live: '1' });
      strict.emu.denyActions(['lambda:GetPolicy']);
      const refused = await strict.deploy({ onUnroutedTriggers: 'fail' });
      expect(refused.result.status).toBe('failed');
      expect(refused.result.failureReason).toMatch(
        /the trigger audit could not read everything, and on-unrouted-triggers is fail: the resource-based policy of orders could not be read: these credentials may not lambda:GetPolicy/
      );
      expect(strict.mutatingOps()).toEqual([]);
    } finally {
      strict.restore();
    }
  });

  test('a trigger pinned to the live version is unrouted; one on another alias is only listed', async () => {
    aws.orders({ live: '1' });
    aws.emu.createEventSourceMapping({ functionName: 'orders:1', eventSourceArn: QUEUE });
    await aws.emu.handleOperation('lambda', 'CreateAlias', { FunctionName: 'orders', Name: 'staging', FunctionVersion: '1' });
    aws.emu.createFunctionUrl({ functionName: 'orders', qualifier: 'staging' });
    const { report, result } = await aws.deploy();
    expect(result.status).toBe('succeeded');
    expect(report.triggers?.map((row) => [row.binding, row.unrouted])).toEqual([
      [{ kind: 'version', version: '1' }, true],
      [{ kind: 'other-alias', alias: 'staging' }, false]
    ]);
    expect(report.warnings.filter((warning) => warning.includes('does not follow alias live'))).toEqual([
      expect.stringContaining(
        `event source mapping ${QUEUE} on version 1 (stays on version 1: it never gets the version deployed, nor a rollback)`
      )
    ]);
  });
});

describe('existing versions', () => {
  test('a version that does not exist is refused before anything is written', async () => {
    aws.orders({ live: '1' });
    const missing = await aws.deploy({ release: { kind: 'version', versions: ['9'] } });
    expect(missing.result.status).toBe('failed');
    expect(missing.result.failureReason).toMatch(/version 9 of orders \(the version input\) does not exist/);
    expect(aws.mutatingOps()).toEqual([]);
  });

  test('an Inactive version that never becomes Active stops the deployment before any traffic moves', async () => {
    aws.orders({ live: '1' });
    await aws.emu.handleOperation('lambda', 'PublishVersion', { FunctionName: 'orders' });
    aws.emu.setVersionInactive('orders', '2', { reactivationMs: VERSION_READY_BUDGET_MS * 2 });
    const { result, elapsedMs } = await aws.deploy({ release: { kind: 'version', versions: ['2'] } });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toMatch(/version 2 of orders is still Pending .* after 10 minutes/);
    expect(elapsedMs).toBeGreaterThanOrEqual(VERSION_READY_BUDGET_MS);
    expect(aws.callsOf('UpdateAlias')).toEqual([]);
    expect(aws.callsOf('Invoke')).toHaveLength(1);
  });

  test('an Inactive version the credentials may not invoke: refused with the permission named', async () => {
    aws.orders({ live: '1' });
    await aws.emu.handleOperation('lambda', 'PublishVersion', { FunctionName: 'orders' });
    aws.emu.setVersionInactive('orders', '2');
    aws.emu.denyActions(['lambda:InvokeFunction']);
    const { result } = await aws.deploy({ release: { kind: 'version', versions: ['2'] } });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toMatch(
      /version 2 of orders is Inactive, and Lambda restores a version only when it is invoked: these credentials may not lambda:InvokeFunction/
    );
  });

  test('the version the alias serves already: skipped, nothing written', async () => {
    aws.orders({ live: '1' });
    const { result } = await aws.deploy({ release: { kind: 'version', versions: ['1'] } });
    expect(result.status).toBe('skipped');
    expect(result.targets[0]).toMatchObject({ version: '1', previousVersion: '1', published: false });
    expect(aws.mutatingOps()).toEqual([]);
  });

  test('several functions: each its own version, shifted in lockstep, nothing published', async () => {
    aws.orders({ live: '1' });
    await aws.emu.handleOperation('lambda', 'PublishVersion', { FunctionName: 'orders' });
    aws.emu.createFunction({ name: 'billing', versions: 5, alias: { name: 'live', version: '4' } });
    const { result } = await aws.deploy({
      targets: [
        { functionName: 'orders', alias: 'live' },
        { functionName: 'billing', alias: 'live' }
      ],
      release: { kind: 'version', versions: ['2', '5'] },
      strategy: 'Canary10Percent1Minute'
    });
    expect(result.status).toBe('succeeded');
    expect(result.targets.map((t) => [t.functionName, t.version, t.previousVersion, t.releasedFrom])).toEqual([
      ['orders', '2', '1', 'the version input'],
      ['billing', '5', '4', 'the version input']
    ]);
    // The one PublishVersion is the set-up's own.
    expect(aws.callsOf('PublishVersion')).toHaveLength(1);
  });
});

describe('pruning', () => {
  test('a delete that fails is a warning; the deployment stays succeeded and the other versions go', async () => {
    aws.orders({ live: '6' });
    aws.emu.failNext('DeleteFunction', 1, 'ServiceException');
    const { result, report } = await aws.deploy({ pruning: { kind: 'prune', delete: true, keepVersions: 3 } });
    expect(result.status).toBe('succeeded');
    expect(report.pruning).toEqual([
      expect.objectContaining({
        functionName: 'orders',
        mode: 'delete',
        versions: ['2', '3', '4'],
        problems: [expect.stringMatching(/^version 1 was not deleted/)]
      })
    ]);
    expect(report.warnings).toContainEqual(expect.stringMatching(/^pruning orders: version 1 was not deleted/));
    expect(aws.emu.state().functions[0]!.versions.map((v) => v.version)).toEqual(['1', '5', '6', '7']);
  });

  test('what protects a version cannot be read: nothing is deleted (fail closed)', async () => {
    aws.orders({ live: '6' });
    aws.emu.denyActions(['lambda:ListProvisionedConcurrencyConfigs']);
    const { result, report } = await aws.deploy({ pruning: { kind: 'prune', delete: true, keepVersions: 1 } });
    expect(result.status).toBe('succeeded');
    expect(report.pruning?.[0]?.problems).toEqual([
      expect.stringMatching(
        /^nothing was pruned: what protects a version could not all be read: these credentials may not lambda:ListProvisionedConcurrencyConfigs/
      )
    ]);
    expect(aws.callsOf('DeleteFunction')).toEqual([]);
  });

  test('a candidate whose own triggers cannot be read stays', async () => {
    aws.orders({ live: '3' });
    // The first per-version reads (version 1's) are refused; version 2's are not.
    aws.fault('GetPolicy', { Qualifier: '1' }, 'AccessDeniedException');
    const { report } = await aws.deploy({ pruning: { kind: 'prune', delete: true, keepVersions: 1 } });
    expect(report.pruning?.[0]).toMatchObject({ versions: ['2'] });
    expect(aws.callsOf('DeleteFunction').map((call) => call.params.Qualifier)).toEqual(['2']);
  });

  test('the gateway never sends DeleteFunction without a version number', async () => {
    const inventory = new SdkLambdaInventoryGateway(testClients());
    aws.orders({ live: '1' });
    await expect(inventory.deleteVersion(FUNCTION_ARN, '')).rejects.toThrow(/only a version number may be deleted/);
    await expect(inventory.deleteVersion(FUNCTION_ARN, 'live')).rejects.toThrow(/only a version number may be deleted/);
    await expect(inventory.deleteVersion(`${FUNCTION_ARN}:1`, '1')).rejects.toThrow(/without a qualifier/);
    expect(aws.callsOf('DeleteFunction')).toEqual([]);
  });
});
