import { InvokeCommand, PublishVersionCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { HeldSleeps, sdkError, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness(42);
  h.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
});
afterEach(async () => {
  await h.close();
});

const invoke = (FunctionName = 'fn:live', extra: Partial<ConstructorParameters<typeof InvokeCommand>[0]> = {}) =>
  h.lambda.send(new InvokeCommand({ FunctionName, ...extra }));
const text = (payload: Uint8Array | undefined) => Buffer.from(payload ?? new Uint8Array()).toString('utf8');

describe('Invoke', () => {
  test('weighted alias routing picks versions by weight, reports X-Amz-Executed-Version and counts per version', async () => {
    await h.lambda.send(
      new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } } })
    );
    const executed: string[] = [];
    for (let i = 0; i < 400; i++) executed.push((await invoke()).ExecutedVersion!);
    const v2 = executed.filter((v) => v === '2').length;
    expect(v2).toBeGreaterThan(60);
    expect(v2).toBeLessThan(140);
    expect(h.emu.state().functions[0]!.invocations).toEqual({ '1': 400 - v2, '2': v2 });
  });

  test('each version answers as setInvokeBehaviour says: the chosen version fails, the other answers its payload', async () => {
    await h.lambda.send(
      new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } })
    );
    h.emu.setInvokeBehaviour('fn', '2', { functionError: { errorType: 'Boom', errorMessage: 'version 2 is broken' } });
    h.emu.setInvokeBehaviour('fn', '1', { payload: { statusCode: 200 } });
    const answers = await Promise.all(Array.from({ length: 40 }, () => invoke()));
    for (const answer of answers) {
      if (answer.ExecutedVersion === '2') {
        expect(answer.FunctionError).toBe('Unhandled');
        expect(JSON.parse(text(answer.Payload))).toMatchObject({ errorType: 'Boom', errorMessage: 'version 2 is broken' });
      } else {
        expect(answer.FunctionError).toBeUndefined();
        expect(JSON.parse(text(answer.Payload))).toEqual({ statusCode: 200 });
      }
    }
    expect(new Set(answers.map((answer) => answer.ExecutedVersion))).toEqual(new Set(['1', '2']));
    // Invoked by number, the version answers the same; a queued result still comes first.
    expect((await invoke('fn:2')).FunctionError).toBe('Unhandled');
    h.emu.queueInvokeResults('fn', [{ payload: { queued: true } }]);
    expect(JSON.parse(text((await invoke('fn:2')).Payload))).toEqual({ queued: true });
  });

  test('an error rate between 0 and 1 fails that share of the calls; a rate out of range is refused', async () => {
    h.emu.setInvokeBehaviour('fn', '1', { errorRate: 0.3 });
    let failed = 0;
    for (let i = 0; i < 300; i++) if ((await invoke('fn:1')).FunctionError) failed += 1;
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(120);
    expect(() => h.emu.setInvokeBehaviour('fn', '1', { errorRate: 2 })).toThrow(/errorRate must be a number from 0 to 1/);
  });

  test('the routing RNG is seeded: the same seed gives the same sequence', async () => {
    const sequence = async (hh: Harness) => {
      hh.emu.reset();
      hh.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
      await hh.lambda.send(
        new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } })
      );
      const out: string[] = [];
      for (let i = 0; i < 20; i++)
        out.push((await hh.lambda.send(new InvokeCommand({ FunctionName: 'fn:live' }))).ExecutedVersion!);
      return out.join('');
    };
    const first = await sequence(h);
    expect(await sequence(h)).toBe(first);
    expect(first).toMatch(/1/);
    expect(first).toMatch(/2/);
  });

  test('without routing the alias version runs; unqualified runs $LATEST; a version number runs that version', async () => {
    expect((await invoke()).ExecutedVersion).toBe('1');
    expect((await invoke('fn')).ExecutedVersion).toBe('$LATEST');
    expect((await invoke('fn', { Qualifier: '2' })).ExecutedVersion).toBe('2');
    expect(h.emu.state().functions[0]!.invocations).toEqual({ '1': 1, $LATEST: 1, '2': 1 });
  });

  test('default payload is {"status":"Succeeded"}; queued results are returned in order', async () => {
    h.emu.queueInvokeResults('fn', [{ payload: { status: 'Custom', n: 1 } }, { payload: 'plain' }]);
    expect(JSON.parse(text((await invoke()).Payload))).toEqual({ status: 'Custom', n: 1 });
    expect(JSON.parse(text((await invoke()).Payload))).toBe('plain');
    expect(JSON.parse(text((await invoke()).Payload))).toEqual({ status: 'Succeeded' });
  });

  test('a queued function error sets FunctionError=Unhandled and the error payload', async () => {
    h.emu.queueInvokeResults('fn', [{ functionError: { errorType: 'HookFailed', errorMessage: 'smoke test failed' } }]);
    const out = await invoke();
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(out.Payload))).toMatchObject({ errorType: 'HookFailed', errorMessage: 'smoke test failed' });
  });

  test('a queued delayMs holds the answer back for that long, while other calls are answered', async () => {
    const held = new HeldSleeps();
    await h.close();
    h = await startHarness(42, { sleep: held.sleep });
    h.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
    h.emu.queueInvokeResults('fn', [{ delayMs: 40, payload: { late: true } }]);
    let answered = false;
    const delayed = invoke().then((out) => {
      answered = true;
      return out;
    });
    await held.whenAsked(1);
    expect(held.asked).toEqual([40]);
    expect((await invoke()).StatusCode).toBe(200); // a later call is not held up
    expect(answered).toBe(false);
    held.releaseAll();
    expect(JSON.parse(text((await delayed).Payload))).toEqual({ late: true });
  });

  test('Event answers 202, DryRun answers 204 and is not counted', async () => {
    expect((await invoke('fn:live', { InvocationType: 'Event' })).StatusCode).toBe(202);
    expect((await invoke('fn:live', { InvocationType: 'DryRun' })).StatusCode).toBe(204);
    expect(h.emu.state().functions[0]!.invocations).toEqual({ '1': 1 });
  });

  test('DryRun answers 204 without a body and runs nothing: no routing roll, no queued result, no count, no metric', async () => {
    await h.lambda.send(
      new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } })
    );
    const routed = async () => {
      const out: string[] = [];
      for (let i = 0; i < 12; i++) out.push((await invoke()).ExecutedVersion!);
      return out.join('');
    };
    const reference = await routed();
    h.emu.reset();
    h.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
    await h.lambda.send(
      new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } })
    );
    h.emu.queueInvokeResults('fn', [{ payload: 'kept' }]);
    const dry = await invoke('fn:live', { InvocationType: 'DryRun', Payload: Buffer.from('{"x":1}') });
    expect(dry.StatusCode).toBe(204);
    expect(dry.ExecutedVersion).toBeUndefined();
    expect(dry.Payload?.length ?? 0).toBe(0);
    expect(h.emu.state().functions[0]).toMatchObject({ invocations: {}, queuedResults: 1 });
    expect(h.emu.calls().at(-1)).toMatchObject({ operation: 'Invoke', status: 204, params: { InvocationType: 'DryRun' } });
    const raw = await fetch(`${h.emu.url}/2015-03-31/functions/fn/invocations`, {
      method: 'POST',
      headers: { 'x-amz-invocation-type': 'DryRun' }
    });
    expect(raw.status).toBe(204);
    expect(await raw.text()).toBe('');
    // The DryRuns took no roll from the routing RNG: the first real call gets the queued result, the sequence is unchanged.
    const first = await invoke();
    expect(text(first.Payload)).toBe('"kept"');
    expect(first.ExecutedVersion + (await routed()).slice(0, 11)).toBe(reference);
  });

  test('DryRun still checks the qualifier', async () => {
    expect((await sdkError(invoke('fn:nope', { InvocationType: 'DryRun' }))).name).toBe('ResourceNotFoundException');
  });

  test('a payload that is not JSON is refused with InvalidRequestContentException', async () => {
    const err = await sdkError(invoke('fn:live', { Payload: Buffer.from('not json') }));
    expect(err.name).toBe('InvalidRequestContentException');
  });

  test('invoking a version that is still Pending is a 409 conflict', async () => {
    h.emu.reset();
    h.emu.createFunction({ name: 'slow', publishPendingMs: 5_000 });
    h.emu.updateCode('slow');
    await h.lambda.send(new PublishVersionCommand({ FunctionName: 'slow' }));
    const err = await sdkError(invoke('slow:1'));
    expect(err.name).toBe('ResourceConflictException');
    h.advance(5_000);
    expect((await invoke('slow:1')).ExecutedVersion).toBe('1');
  });
});
