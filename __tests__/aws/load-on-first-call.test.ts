import { loadOnFirstCall } from '../../src/aws/load-on-first-call.js';

interface Gateway {
  readonly region: string;
  read(name: string): Promise<string>;
}

test('nothing loads until the first call, and the module loads once', async () => {
  let loads = 0;
  const gateway = loadOnFirstCall<Gateway>(
    async () => {
      loads += 1;
      return { region: 'ignored', read: async (name) => `read ${name}` };
    },
    { region: 'eu-west-1' }
  );
  expect(loads).toBe(0);
  expect(gateway.region).toBe('eu-west-1'); // a known member, given up front
  expect(await Promise.all([gateway.read('a'), gateway.read('b')])).toEqual(['read a', 'read b']);
  expect(await gateway.read('c')).toBe('read c');
  expect(loads).toBe(1);
});

test('the gateway is not taken for a promise', async () => {
  const gateway = loadOnFirstCall<Gateway>(async () => ({ region: '', read: async () => '' }), { region: '' });
  expect(await Promise.resolve(gateway)).toBe(gateway);
});

test('a module that cannot load fails the call, and a member the gateway lacks is an error, not undefined', async () => {
  const broken = loadOnFirstCall<Gateway>(() => Promise.reject(new Error('cannot load')), { region: '' });
  await expect(broken.read('a')).rejects.toThrow('cannot load');
  const lacking = loadOnFirstCall<Gateway>(async () => ({ region: '' }) as unknown as Gateway, { region: '' });
  await expect(lacking.read('a')).rejects.toThrow('the gateway has no method read');
});
