import { expect, test } from '@jest/globals';
import { functionKeys, outputsFor } from '../../src/report/outputs.js';
import type { DeploymentResult, TargetResult } from '../../src/rollout/result.js';
import { parseStrategy } from '../../src/config/strategy.js';

const arn = (region: string, name: string) => `arn:aws:lambda:${region}:123456789012:function:${name}`;

function result(targets: TargetResult[]): DeploymentResult {
  return {
    status: 'succeeded',
    deploymentId: 'local-1-abc',
    targets,
    strategy: parseStrategy('AllAtOnce'),
    startedAtMs: 0,
    finishedAtMs: 1000,
    cancelled: false,
    dryRun: false,
    engine: { kind: 'runner' }
  };
}

const target = (region: string, name: string, version: string, previousVersion: string): TargetResult => ({
  functionName: name,
  functionArn: arn(region, name),
  alias: 'live',
  version,
  previousVersion,
  published: true
});

test('versions are keyed by function name, with one function and with several of different names', () => {
  expect(JSON.parse(outputsFor(result([target('us-east-1', 'orders', '4', '3')])).versions!)).toEqual({ orders: '4' });
  const outputs = outputsFor(
    result([target('us-east-1', 'orders-api', '8', '7'), target('us-east-1', 'orders-worker', '13', '12')])
  );
  expect(JSON.parse(outputs.versions!)).toEqual({ 'orders-api': '8', 'orders-worker': '13' });
  expect(JSON.parse(outputs['previous-versions']!)).toEqual({ 'orders-api': '7', 'orders-worker': '12' });
});

test('functions that share a name (two regions) are keyed by their full ARN; the others keep their name', () => {
  const outputs = outputsFor(
    result([
      target('us-east-1', 'orders', '4', '3'),
      target('eu-west-1', 'orders', '9', '8'),
      target('us-east-1', 'billing', '2', '1')
    ])
  );
  expect(JSON.parse(outputs.versions!)).toEqual({
    [arn('us-east-1', 'orders')]: '4',
    [arn('eu-west-1', 'orders')]: '9',
    billing: '2'
  });
  expect(JSON.parse(outputs['previous-versions']!)).toEqual({
    [arn('us-east-1', 'orders')]: '3',
    [arn('eu-west-1', 'orders')]: '8',
    billing: '1'
  });
});

test('a key depends on the function and on whether another of the rollout shares its name only', () => {
  expect(functionKeys([{ functionName: 'a', functionArn: arn('us-east-1', 'a') }, { functionName: 'b' }])).toEqual(['a', 'b']);
  expect(
    new Set(
      functionKeys([
        { functionName: 'a', functionArn: arn('us-east-1', 'a') },
        { functionName: 'a', functionArn: arn('eu-west-1', 'a') }
      ])
    ).size
  ).toBe(2);
});
