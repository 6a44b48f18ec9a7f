import { describe, expect, test } from '@jest/globals';
import { customConfigName, deploymentConfigFor, strategyOfConfig } from '../../../src/engines/codedeploy/deployment-config.js';
import { parseStrategy, PREDEFINED_STRATEGIES } from '../../../src/config/strategy.js';

const mapped = (strategy: string) => deploymentConfigFor(parseStrategy(strategy));

describe('a strategy as a CodeDeploy deployment configuration', () => {
  test.each(PREDEFINED_STRATEGIES.map((name) => [name]))('%s is CodeDeploy’s own predefined configuration', (name) => {
    expect(mapped(name)).toMatchObject({ ok: true, config: { name: `CodeDeployDefault.Lambda${name}`, predefined: true } });
    expect(mapped(`CodeDeployDefault.Lambda${name}`)).toMatchObject({
      ok: true,
      config: { name: `CodeDeployDefault.Lambda${name}` }
    });
  });

  test('another spelling of a predefined schedule is the predefined configuration', () => {
    expect(mapped('Canary10Percent300Seconds')).toEqual({
      ok: true,
      config: {
        name: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        routing: { type: 'TimeBasedCanary', percentage: 10, intervalMinutes: 5 },
        predefined: true
      }
    });
    expect(mapped('Linear10PercentEvery60Seconds')).toMatchObject({
      config: { name: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute' }
    });
  });

  test('a custom canary or linear in whole minutes (or hours) is a custom configuration with a stable name', () => {
    expect(mapped('Canary25Percent2Minutes')).toEqual({
      ok: true,
      config: {
        name: 'LambdaSafeDeploy.Canary25Percent2Minutes',
        routing: { type: 'TimeBasedCanary', percentage: 25, intervalMinutes: 2 },
        predefined: false
      }
    });
    expect(mapped('Linear20PercentEvery1Hour')).toMatchObject({
      config: {
        name: 'LambdaSafeDeploy.Linear20PercentEvery60Minutes',
        routing: { type: 'TimeBasedLinear', percentage: 20, intervalMinutes: 60 }
      }
    });
    expect(mapped('Linear30PercentEvery1Minute')).toMatchObject({
      config: { name: 'LambdaSafeDeploy.Linear30PercentEvery1Minute' }
    });
    expect(mapped('canary5percent2880minutes')).toMatchObject({ config: { name: 'LambdaSafeDeploy.Canary5Percent2880Minutes' } });
  });

  test('a step list is refused, saying why and what to use instead', () => {
    const refused = mapped('5%:2m, 25%:5m');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.problem).toMatch(
      /^a step list cannot be handed to CodeDeploy, .*Canary<P>Percent<N>Minutes .*'engine: runner'/
    );
  });

  test('an interval that is not whole minutes is refused, with a suggestion in minutes', () => {
    const seconds = mapped('Canary20Percent30Seconds');
    expect(!seconds.ok && seconds.problem).toBe(
      "CodeDeploy counts a deployment configuration's interval in whole minutes, and 30s is not: use whole minutes (such as Canary20Percent1Minute), or 'engine: runner' for intervals in seconds"
    );
    const odd = mapped('Linear10PercentEvery90Seconds');
    expect(!odd.ok && odd.problem).toContain('such as Linear10PercentEvery2Minutes');
  });

  test('a custom name is stable and singular for one minute', () => {
    expect(customConfigName({ type: 'TimeBasedCanary', percentage: 1, intervalMinutes: 1 })).toBe(
      'LambdaSafeDeploy.Canary1Percent1Minute'
    );
  });

  test('a configuration read back is a strategy again (a watching step learns its schedule)', () => {
    expect(strategyOfConfig('x', { type: 'TimeBasedLinear', percentage: 40, intervalMinutes: 3 })).toEqual({
      name: 'x',
      kind: 'linear',
      steps: [
        { weightPercent: 40, bakeMs: 180_000 },
        { weightPercent: 80, bakeMs: 180_000 }
      ]
    });
    expect(strategyOfConfig('y', { type: 'AllAtOnce' })).toEqual({ name: 'y', kind: 'all-at-once', steps: [] });
    expect(strategyOfConfig('z', { type: 'TimeBasedCanary', percentage: 5, intervalMinutes: 10 }).steps).toEqual([
      { weightPercent: 5, bakeMs: 600_000 }
    ]);
  });
});
