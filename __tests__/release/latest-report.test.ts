import { afterEach, beforeEach, expect, test } from '@jest/globals';
import type { VersionConfiguration } from '../../src/aws/lambda-gateway.js';
import { SdkLambdaGateway } from '../../src/aws/sdk-lambda-gateway.js';
import { describeLatest, latestDifferences, type LatestSnapshot } from '../../src/release/latest-report.js';
import { EmulatedAws, FUNCTION_ARN, testClients } from '../support/engine-harness.js';

const version = (fields: Partial<VersionConfiguration> = {}): VersionConfiguration => ({
  version: '1',
  revisionId: 'r',
  codeSha256: 'abc=',
  packageType: 'Zip',
  handler: 'index.handler',
  runtime: 'nodejs22.x',
  memorySize: 128,
  timeoutSeconds: 3,
  layers: [],
  architectures: ['x86_64'],
  environment: { DB_URL: 'postgres://a' },
  ...fields
});

test('what $LATEST holds against a version: code, then configuration by input name, variables by name only', () => {
  expect(latestDifferences(version(), version({ version: '3', revisionId: 'other', description: 'x' }))).toEqual([]);
  expect(
    latestDifferences(
      version({ codeSha256: 'new=', memorySize: 512, environment: { DB_URL: 'postgres://b', NEW: 'secret-value' } }),
      version()
    )
  ).toEqual(['code', 'memory-size', 'env-vars (DB_URL, NEW)']);
  expect(latestDifferences(version({ architectures: ['arm64'] }), version())).toEqual(['architectures']);
});

let aws: EmulatedAws;
beforeEach(() => {
  aws = new EmulatedAws();
});
afterEach(() => aws.restore());

const snapshot = (codeSha256?: string): LatestSnapshot => ({
  functionName: 'orders',
  functionRef: FUNCTION_ARN,
  alias: 'live',
  label: 'live',
  ...(codeSha256 ? { codeSha256 } : {})
});

const describe = (targets: LatestSnapshot[]) =>
  describeLatest(targets, { lambda: new SdkLambdaGateway(testClients()), clock: aws.clock });

test("the post step says when $LATEST holds this run's code, unlike the version the alias serves", async () => {
  aws.emu.createFunction({ name: 'orders', versions: 1, alias: { name: 'live', version: '1' } });
  aws.emu.updateCode('orders', 'bmV3IGNvZGU=');
  expect(await describe([snapshot('bmV3IGNvZGU=')])).toEqual([
    "$LATEST of orders differs from version 1, which the alias live serves: this run's new code (CodeSha256 bmV3IGNvZGU=); " +
      'callers of the unqualified function or of $LATEST run it until a deployment replaces it.'
  ]);
  // Code this run did not bring is named by its hash alone.
  expect(await describe([snapshot('b3RoZXI=')])).toEqual([
    expect.stringContaining('which the alias live serves: code (CodeSha256 bmV3IGNvZGU=);')
  ]);
});

test('nothing is said when $LATEST holds what the live version holds, or when the run wrote no $LATEST', async () => {
  aws.emu.createFunction({ name: 'orders', versions: 1, alias: { name: 'live', version: '1' } });
  expect(await describe([snapshot()])).toEqual([]);
  aws.emu.updateCode('orders');
  expect(await describe([])).toEqual([]);
});

test('a $LATEST that cannot be read is said to be unknown', async () => {
  aws.emu.createFunction({ name: 'orders', versions: 1, alias: { name: 'live', version: '1' } });
  aws.emu.failNext('GetFunction', 5, 'AccessDeniedException');
  expect(await describe([snapshot('bmV3IGNvZGU=')])).toEqual([
    expect.stringMatching(
      /^\$LATEST of orders could not be read \(.*\): it may hold this run's new code or configuration, which the alias live does not serve\.$/
    )
  ]);
});
