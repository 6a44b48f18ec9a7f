import { expect, test } from '@jest/globals';
import {
  AccessDenied,
  AliasRevisionConflict,
  AwsNotConfigured,
  explainFailure,
  FunctionChanged,
  mayHaveApplied,
  NoAnswer,
  RequestRefused,
  ResourceNotFound,
  UpdateInProgress
} from '../../src/aws/failures.js';
import { translateSdkError } from '../../src/aws/translate.js';

/** An error shaped as the SDK raises it. */
function sdkError(name: string, message: string, metadata: { httpStatusCode?: number; attempts?: number } = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: { attempts: 1, ...metadata } });
}

const call = { operation: 'UpdateAlias', action: 'lambda:UpdateAlias', endpoint: 'https://lambda.us-east-1.amazonaws.com' };

test.each([
  ['404', sdkError('ResourceNotFoundException', 'Function not found', { httpStatusCode: 404 }), ResourceNotFound, 'refused'],
  ['412', sdkError('PreconditionFailedException', 'stale', { httpStatusCode: 412 }), AliasRevisionConflict, 'refused'],
  [
    '409',
    sdkError('ResourceConflictException', 'An update is in progress', { httpStatusCode: 409 }),
    UpdateInProgress,
    'refused'
  ],
  [
    '429 after retries',
    sdkError('TooManyRequestsException', 'Rate exceeded', { httpStatusCode: 429 }),
    RequestRefused,
    'refused'
  ],
  ['500', sdkError('ServiceException', 'internal', { httpStatusCode: 500 }), NoAnswer, 'unknown'],
  ['a time-out', sdkError('TimeoutError', 'a request has exceeded the configured 30000 ms requestTimeout'), NoAnswer, 'unknown'],
  ['a refused connection', sdkError('Error', 'connect ECONNREFUSED 127.0.0.1:1'), NoAnswer, 'unknown']
])('%s is a failure whose outcome is known or not', (_label, error, kind, outcome) => {
  const failure = translateSdkError(error, call);
  expect(failure).toBeInstanceOf(kind);
  expect(mayHaveApplied(failure)).toBe(outcome === 'unknown');
});

test('AccessDenied names the action and resource AWS named', () => {
  const failure = translateSdkError(
    sdkError(
      'AccessDeniedException',
      'User: arn:aws:sts::123456789012:assumed-role/deploy/s is not authorized to perform: lambda:UpdateAlias on resource: arn:aws:lambda:us-east-1:123456789012:function:orders because no identity-based policy allows the lambda:UpdateAlias action',
      { httpStatusCode: 403 }
    ),
    call
  );
  expect(failure).toBeInstanceOf(AccessDenied);
  expect(failure).toMatchObject({
    action: 'lambda:UpdateAlias',
    resource: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
    outcome: 'refused'
  });
});

test('a refusal on an SDK retry is marked retried: the first attempt may have been ours', () => {
  const failure = translateSdkError(sdkError('PreconditionFailedException', 'stale', { httpStatusCode: 412, attempts: 2 }), call);
  expect(failure).toMatchObject({ retried: true });
});

test('an answer that is not JSON names the endpoint and the status', () => {
  const failure = translateSdkError(
    sdkError('SyntaxError', 'Unexpected token \'<\', "<html><bod"... is not valid JSON\n  Deserialization error: ...', {
      httpStatusCode: 502
    }),
    call
  );
  expect(failure).toBeInstanceOf(NoAnswer);
  expect(failure.message).toBe(
    'https://lambda.us-east-1.amazonaws.com answered UpdateAlias with HTTP 502 and a body that is not an AWS answer ' +
      '(Unexpected token \'<\', "<html><bod"... is not valid JSON): check AWS_ENDPOINT_URL, a proxy or a firewall in between'
  );
});

test('missing credentials and a missing region say what to configure', () => {
  expect(
    translateSdkError(sdkError('CredentialsProviderError', 'Could not load credentials from any providers'), call)
  ).toBeInstanceOf(AwsNotConfigured);
  const region = translateSdkError(sdkError('Error', 'Region is missing'), call);
  expect(region).toBeInstanceOf(AwsNotConfigured);
  expect(region.message).toMatch(/^no AWS region is configured: set `aws-region`/);
});

test("the caller's own cancellation or time-out wins over whatever the SDK made of it", () => {
  const controller = new AbortController();
  const reason = Object.assign(new Error('SIGINT'), { name: 'AbortError' });
  controller.abort(reason);
  expect(translateSdkError(sdkError('AbortError', 'Request aborted'), { ...call, signal: controller.signal })).toBe(reason);
});

test('a guarded write to $LATEST that meets another writer is FunctionChanged: a stale RevisionId, or a CodeSha256 $LATEST does not hold', () => {
  for (const operation of ['PublishVersion', 'UpdateFunctionCode', 'UpdateFunctionConfiguration']) {
    const stale = translateSdkError(
      sdkError('PreconditionFailedException', 'The Revision Id provided does not match', { httpStatusCode: 412 }),
      {
        ...call,
        operation
      }
    );
    expect([operation, stale]).toEqual([operation, expect.any(FunctionChanged)]);
    expect(mayHaveApplied(stale)).toBe(false);
  }
  const otherCode = translateSdkError(
    sdkError('InvalidParameterValueException', 'CodeSHA256 (abc=) is different from current CodeSHA256 in $LATEST (def=).', {
      httpStatusCode: 400
    }),
    { ...call, operation: 'PublishVersion' }
  );
  expect(otherCode).toBeInstanceOf(FunctionChanged);
  expect(otherCode.message).toContain('CodeSHA256 (abc=) is different');
  // The alias's own guard keeps its failure.
  expect(translateSdkError(sdkError('PreconditionFailedException', 'stale', { httpStatusCode: 412 }), call)).toBeInstanceOf(
    AliasRevisionConflict
  );
});

test('one sentence for a failed call: a refused permission says what to add; anything else its own message', () => {
  const denied = new AccessDenied(
    'AccessDeniedException: not authorized',
    'UpdateAlias',
    'lambda:UpdateAlias',
    'arn:aws:lambda:us-east-1:1:function:f'
  );
  expect(explainFailure(denied)).toBe(
    "these credentials may not lambda:UpdateAlias on arn:aws:lambda:us-east-1:1:function:f (add it to the role's policy; " +
      'docs/iam.md lists every permission)'
  );
  expect(explainFailure(new AccessDenied('AccessDenied: no', 'GetAlias', 'lambda:GetAlias'))).toMatch(
    /^these credentials may not lambda:GetAlias \(add it/
  );
  expect(explainFailure(new ResourceNotFound('ResourceNotFoundException: gone', 'GetAlias'))).toBe(
    'ResourceNotFoundException: gone'
  );
  expect(explainFailure(new TypeError('boom'))).toBe('TypeError: boom');
});
