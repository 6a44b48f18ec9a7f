import { describe, expect, test } from '@jest/globals';
import { appSpecContent, appSpecSha256 } from '../../src/aws/codedeploy-appspec.js';
import { weightPercent } from '../../src/aws/sdk-codedeploy-gateway.js';

describe('the AppSpec of a Lambda deployment', () => {
  const spec = {
    functionName: 'orders-api',
    alias: 'live',
    currentVersion: '41',
    targetVersion: '42',
    beforeAllowTraffic: ['CodeDeployHook_pre'],
    afterAllowTraffic: []
  };

  test('is JSON with version 0.0, one AWS::Lambda::Function resource and the hooks', () => {
    const content = appSpecContent(spec);
    expect(content.startsWith('{"version":0.0,"Resources":[')).toBe(true);
    expect(JSON.parse(content)).toEqual({
      version: 0,
      Resources: [
        {
          ordersapi: {
            Type: 'AWS::Lambda::Function',
            Properties: { Name: 'orders-api', Alias: 'live', CurrentVersion: '41', TargetVersion: '42' }
          }
        }
      ],
      Hooks: [{ BeforeAllowTraffic: 'CodeDeployHook_pre' }]
    });
  });

  test('has no Hooks section without hooks, and its sha256 is the hex digest CodeDeploy checks', () => {
    const content = appSpecContent({ ...spec, beforeAllowTraffic: [] });
    expect(JSON.parse(content)).not.toHaveProperty('Hooks');
    expect(appSpecSha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe("the target version's weight", () => {
  test('a percentage or a fraction (AWS does not say which): below 1 is a fraction', () => {
    expect(weightPercent(10, 'InProgress')).toBe(10);
    expect(weightPercent(0.1, 'InProgress')).toBe(10);
    expect(weightPercent(0.255, 'InProgress')).toBe(25.5);
    expect(weightPercent(100, 'Succeeded')).toBe(100);
    expect(weightPercent(0, 'Pending')).toBe(0);
    expect(weightPercent(undefined, 'Pending')).toBeUndefined();
    expect(weightPercent(-1, 'Pending')).toBeUndefined();
  });

  test('1 is 1 % while the shift goes on, and all of it once AllowTraffic is done', () => {
    expect(weightPercent(1, 'InProgress')).toBe(1);
    expect(weightPercent(1, 'Succeeded')).toBe(100);
  });
});
