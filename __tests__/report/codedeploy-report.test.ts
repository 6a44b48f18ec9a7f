import { afterEach, expect, test } from '@jest/globals';
import { savedState } from '../../src/action/state.js';
import { outcomeFor } from '../../src/github/outcome.js';
import { outputsFor } from '../../src/report/outputs.js';
import { closingLine, renderSummary } from '../../src/report/summary.js';
import { codeDeployResult } from '../../src/engines/codedeploy/result.js';
import type { CodeDeploySnapshot } from '../../src/engines/codedeploy/snapshot.js';
import { readEngineSnapshot } from '../../src/engines/index.js';
import type { DeploymentResult, DeploymentSnapshot } from '../../src/rollout/result.js';
import { parseStrategy } from '../../src/config/strategy.js';

const URL = 'https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-A1B2C3D4E?region=us-east-1';

const facts = {
  application: 'orders',
  deploymentGroup: 'live',
  deploymentId: 'd-A1B2C3D4E',
  deploymentConfig: 'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes',
  region: 'us-east-1',
  moves: { alias: 'live', version: '4' }
};

const handedOver: DeploymentResult = {
  status: 'in-progress',
  deploymentId: '42-1-abcdef12',
  targets: [{ functionName: 'orders', alias: 'live', version: '4', published: true, previousVersion: '3' }],
  strategy: parseStrategy('Linear10PercentEvery10Minutes'),
  startedAtMs: 0,
  finishedAtMs: 5_000,
  cancelled: false,
  dryRun: false,
  engine: codeDeployResult(facts)
};

test('a rollout handed over without waiting: in-progress, CodeDeploy’s id as deployment-id, where to watch it', () => {
  expect(outputsFor(handedOver)).toMatchObject({ status: 'in-progress', 'deployment-id': 'd-A1B2C3D4E', 'failure-reason': '' });
  expect(closingLine(handedOver)).toBe(
    `in-progress: CodeDeploy deployment d-A1B2C3D4E moves alias live to version 4; watch it at ${URL}, or in a later step with codedeploy-deployment-id: d-A1B2C3D4E`
  );
  const markdown = renderSummary({ result: handedOver, timeline: [], observations: [], hooks: [], warnings: [], plan: [] });
  expect(markdown.split('\n')[0]).toBe('## ⏳ Handed over to AWS CodeDeploy: orders:live');
  expect(markdown).toContain(
    `| CodeDeploy | deployment <a href="${URL}">d-A1B2C3D4E</a> in orders/live, CodeDeployDefault.LambdaLinear10PercentEvery10Minutes |`
  );
  // The GitHub deployment stays in progress: nothing is final yet.
  expect(outcomeFor(handedOver)).toBeUndefined();
});

test('a CodeDeploy status from AWS is escaped; a link that is not https is no link', () => {
  const odd = { ...handedOver, status: 'failed' as const, engine: codeDeployResult({ ...facts, status: '<b>Failed</b>' }) };
  const markdown = renderSummary({ result: odd, timeline: [], observations: [], hooks: [], warnings: [], plan: [] });
  expect(markdown).toContain(
    `| CodeDeploy | deployment <a href="${URL}">d-A1B2C3D4E</a> (CodeDeploy: &lt;b&gt;Failed&lt;/b&gt;) in orders/live`
  );
  const engine = {
    ...codeDeployResult(facts),
    facts: [{ label: 'CodeDeploy', parts: [{ text: 'deployment ' }, { text: 'd-A1B2C3D4E', link: 'javascript:alert(1)' }] }]
  };
  const linked = renderSummary({ result: { ...odd, engine }, timeline: [], observations: [], hooks: [], warnings: [], plan: [] });
  expect(linked).toContain('| CodeDeploy | deployment d-A1B2C3D4E |');
  expect(linked).not.toContain('javascript:');
});

afterEach(() => {
  delete process.env.STATE_deployment;
});

test('the saved state of a hand-over is read back, and a malformed CodeDeploy part is refused', () => {
  const snapshot: DeploymentSnapshot<CodeDeploySnapshot> = {
    phase: 'watch',
    deploymentId: '42-1-abcdef12',
    rollbackOwed: false,
    engine: 'codedeploy',
    codedeploy: {
      application: 'orders',
      deploymentGroup: 'live',
      deploymentId: 'd-A1B2C3D4E',
      creating: true,
      marker: 'lambda-safe-deploy 42-1-abcdef12',
      watching: true
    }
  };
  process.env.STATE_deployment = JSON.stringify(snapshot);
  expect(savedState.loadSnapshot(readEngineSnapshot)).toEqual(snapshot);
  process.env.STATE_deployment = JSON.stringify({
    ...snapshot,
    codedeploy: { ...snapshot.codedeploy, deploymentId: 'd-; rm -rf /' }
  });
  expect(() => savedState.loadSnapshot(readEngineSnapshot)).toThrow(/not one this action wrote/);
  process.env.STATE_deployment = JSON.stringify({ ...snapshot, codedeploy: { application: 'orders' } });
  expect(() => savedState.loadSnapshot(readEngineSnapshot)).toThrow(/not one this action wrote/);
});
