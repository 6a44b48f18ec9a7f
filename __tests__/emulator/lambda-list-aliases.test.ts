import { CreateAliasCommand, ListAliasesCommand, paginateListAliases } from '@aws-sdk/client-lambda';
import { sdkError, startHarness, type Harness } from './harness.js';

let h: Harness;
const NAMES = Array.from({ length: 60 }, (_, i) => `alias-${String(i).padStart(2, '0')}`);

beforeEach(async () => {
  h = await startHarness();
  h.emu.createFunction({ name: 'fn', versions: 2 });
  for (const [i, Name] of NAMES.entries()) {
    await h.lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name, FunctionVersion: i % 2 === 0 ? '1' : '2' }));
  }
});
afterEach(async () => {
  await h.close();
});

const list = (extra: Partial<ConstructorParameters<typeof ListAliasesCommand>[0]> = {}) =>
  h.lambda.send(new ListAliasesCommand({ FunctionName: 'fn', ...extra }));

describe('ListAliases paging (MaxItems, Marker / NextMarker)', () => {
  test('60 aliases with MaxItems 50: two pages, in name order, nothing lost or repeated', async () => {
    const first = await list({ MaxItems: 50 });
    expect(first.Aliases).toHaveLength(50);
    expect(first.NextMarker).toEqual(expect.any(String));
    const second = await list({ MaxItems: 50, Marker: first.NextMarker! });
    expect(second.Aliases).toHaveLength(10);
    expect(second.NextMarker).toBeUndefined();
    expect([...first.Aliases!, ...second.Aliases!].map((a) => a.Name)).toEqual(NAMES);
  });

  test('without MaxItems a page holds at most 50: a client that does not page misses aliases', async () => {
    const out = await list();
    expect(out.Aliases).toHaveLength(50);
    expect(out.NextMarker).toBeDefined();
  });

  test("the SDK's paginator walks every page", async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListAliases({ client: h.lambda, pageSize: 25 }, { FunctionName: 'fn' })) {
      pages++;
      names.push(...page.Aliases!.map((a) => a.Name!));
    }
    expect(pages).toBe(3);
    expect(names).toEqual(NAMES);
  });

  test('FunctionVersion filters before paging', async () => {
    const out = await list({ FunctionVersion: '2', MaxItems: 50 });
    expect(out.Aliases).toHaveLength(30);
    expect(out.NextMarker).toBeUndefined();
    expect(out.Aliases!.every((a) => a.FunctionVersion === '2')).toBe(true);
  });

  test('MaxItems out of range and an invalid Marker are refused with 400', async () => {
    const zero = await sdkError(list({ MaxItems: 0 }));
    expect(zero.name).toBe('InvalidParameterValueException');
    expect(zero.message).toContain(
      "at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    expect((await sdkError(list({ MaxItems: 10_001 }))).name).toBe('InvalidParameterValueException');
    expect((await sdkError(list({ Marker: 'not-a-marker' }))).name).toBe('InvalidParameterValueException');
    expect(
      h.emu
        .calls()
        .slice(-3)
        .map((c) => [c.params.MaxItems, c.status])
    ).toEqual([
      ['0', 400],
      ['10001', 400],
      [undefined, 400]
    ]);
  });
});
