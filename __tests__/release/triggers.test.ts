import { describe, expect, test } from '@jest/globals';
import { bindingOf, consequenceOf, isUnrouted, type Trigger } from '../../src/release/triggers/classify.js';
import { grantsOf } from '../../src/release/triggers/policy.js';
import { judgeTriggers, type AuditedFunction } from '../../src/release/triggers/verdict.js';

// The trigger audit's rules on data alone: where a trigger is bound, what a deployment means for it,
// which grants of a policy invoke, and what warn and fail make of it all.

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';

describe('bindingOf', () => {
  test.each([
    [ARN, { kind: 'latest' }],
    [`${ARN}:$LATEST`, { kind: 'latest' }],
    [`${ARN}:live`, { kind: 'alias' }],
    [`${ARN}:7`, { kind: 'version', version: '7' }],
    [`${ARN}:staging`, { kind: 'other-alias', alias: 'staging' }],
    ['orders:live', { kind: 'alias' }],
    ['123456789012:function:orders', { kind: 'latest' }]
  ])('%s', (arn, binding) => {
    expect(bindingOf(arn, 'live')).toEqual(binding);
  });

  test('only $LATEST and version bindings are unrouted', () => {
    const trigger = (binding: Trigger['binding']): Trigger => ({ kind: 'event-source-mapping', source: 'q', binding });
    expect(isUnrouted(trigger({ kind: 'latest' }))).toBe(true);
    expect(isUnrouted(trigger({ kind: 'version', version: '3' }))).toBe(true);
    expect(isUnrouted(trigger({ kind: 'alias' }))).toBe(false);
    expect(isUnrouted(trigger({ kind: 'other-alias', alias: 'staging' }))).toBe(false);
  });
});

describe('consequenceOf', () => {
  test('a trigger on $LATEST: what it gets depends on what the deployment does to $LATEST', () => {
    expect(consequenceOf({ kind: 'latest' }, 'live', 'uploads')).toMatch(
      /the moment they are written to \$LATEST: no canary, no rollback/
    );
    expect(consequenceOf({ kind: 'latest' }, 'live', 'publishes-latest')).toMatch(/already holds what this deployment publishes/);
    expect(consequenceOf({ kind: 'latest' }, 'live', 'untouched')).toMatch(/does not get the version deployed/);
  });

  test('the alias, a version, another alias', () => {
    expect(consequenceOf({ kind: 'alias' }, 'live', 'uploads')).toBe(
      'follows live: it gets the new version step by step, and the rollback'
    );
    expect(consequenceOf({ kind: 'version', version: '4' }, 'live', 'uploads')).toMatch(/stays on version 4/);
    expect(consequenceOf({ kind: 'other-alias', alias: 'staging' }, 'live', 'uploads')).toMatch(/follows staging, not live/);
  });
});

describe('grantsOf', () => {
  const policy = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });

  test('each Allow statement that invokes, bound to its Resource, with its principal and source', () => {
    const grants = grantsOf(
      policy([
        {
          Sid: 's3',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: ARN,
          Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' } }
        },
        {
          Sid: 'api',
          Effect: 'Allow',
          Principal: { Service: 'apigateway.amazonaws.com' },
          Action: ['lambda:*'],
          Resource: `${ARN}:live`
        },
        { Sid: 'url', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Resource: ARN },
        { Sid: 'deny', Effect: 'Deny', Principal: '*', Action: 'lambda:InvokeFunction', Resource: ARN },
        {
          Sid: 'other',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::222222222222:root' },
          Action: 'lambda:GetFunction',
          Resource: ARN
        }
      ]),
      ARN,
      'live'
    );
    expect(grants).toEqual([
      { kind: 'permission', source: 's3.amazonaws.com (arn:aws:s3:::uploads) [s3]', binding: { kind: 'latest' } },
      { kind: 'permission', source: 'apigateway.amazonaws.com [api]', binding: { kind: 'alias' } }
    ]);
  });

  test('a statement without a Resource is bound to the qualifier it was read for; a policy that is not JSON gives nothing', () => {
    const [grant] = grantsOf(
      policy([{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'lambda:InvokeFunction' }]),
      `${ARN}:5`,
      'live'
    );
    expect(grant?.binding).toEqual({ kind: 'version', version: '5' });
    expect(grantsOf('{not json', ARN, 'live')).toEqual([]);
  });
});

describe('judgeTriggers', () => {
  const audited = (triggers: Trigger[], unreadable: string[] = []): AuditedFunction => ({
    functionName: 'orders',
    report: { functionRef: 'orders', alias: 'live', triggers, unreadable },
    latest: 'uploads'
  });
  const onLatest: Trigger = {
    kind: 'event-source-mapping',
    source: 'arn:aws:sqs:us-east-1:123456789012:jobs',
    binding: { kind: 'latest' }
  };
  const onAlias: Trigger = { kind: 'function-url', source: 'https://x.lambda-url.us-east-1.on.aws/', binding: { kind: 'alias' } };

  test('triggers that all follow the alias: listed, no warning', () => {
    const verdict = judgeTriggers([audited([onAlias])], 'fail');
    expect(verdict.warnings).toEqual([]);
    expect(verdict.problems).toEqual([]);
    expect(verdict.rows).toEqual([
      expect.objectContaining({ unrouted: false, trigger: 'function URL https://x.lambda-url.us-east-1.on.aws/ on alias live' })
    ]);
    expect(verdict.planNotes).toEqual([expect.stringMatching(/^Triggers: function URL .* on alias live: follows live/)]);
  });

  test('one on $LATEST: a warning by default, a problem with fail', () => {
    const warned = judgeTriggers([audited([onLatest, onAlias])], 'warn');
    expect(warned.problems).toEqual([]);
    expect(warned.warnings).toEqual([
      expect.stringMatching(
        /^a trigger does not follow alias live.*arn:aws:sqs:us-east-1:123456789012:jobs on the unqualified function \(\$LATEST\).*on-unrouted-triggers: fail/
      )
    ]);
    const refused = judgeTriggers([audited([onLatest])], 'fail');
    expect(refused.warnings).toEqual([]);
    expect(refused.problems).toEqual([expect.stringMatching(/does not follow alias live.*; on-unrouted-triggers is fail$/)]);
  });

  test('an unreadable trigger list: a warning by default, and fail fails closed', () => {
    const unread = [
      'the event source mappings of orders could not be read: these credentials may not lambda:ListEventSourceMappings'
    ];
    expect(judgeTriggers([audited([], unread)], 'warn').warnings).toEqual([`trigger audit incomplete: ${unread[0]}`]);
    expect(judgeTriggers([audited([], unread)], 'fail').problems).toEqual([
      `the trigger audit could not read everything, and on-unrouted-triggers is fail: ${unread[0]}`
    ]);
  });

  test('no trigger at all: a line for the log, none for the plan', () => {
    const verdict = judgeTriggers([audited([])], 'fail');
    expect(verdict.planNotes).toEqual([]);
    expect(verdict.logNotes).toEqual([expect.stringMatching(/^Triggers: none found/)]);
    expect(verdict.problems).toEqual([]);
  });
});
