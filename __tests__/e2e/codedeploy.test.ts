import { expect, jest, test } from '@jest/globals';
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import type { RunningEmulator } from '../../emulator/index.js';
import { postStepEnv, runAction } from '../../emulator/runner/action-runner.js';
import { deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// engine: codedeploy end to end: the bundled action hands the rollout to the emulator's CodeDeploy,
// whose minutes last a fraction of a second here, and watches it. Tests wait on the action's own
// log lines and the emulator's state, never on fixed delays.
jest.setTimeout(30_000);

const world = emulatorPerTest();

const ROLE = 'arn:aws:iam::123456789012:role/codedeploy-lambda';
/** The inputs of a hand-over that creates the application and group it needs. */
const CODEDEPLOY = { engine: 'codedeploy', 'codedeploy-service-role': ROLE } as const;

/** The `orders` world with CodeDeploy minutes of `minuteMs` (hooks get a minute of real time to answer). */
async function start(minuteMs: number): Promise<RunningEmulator> {
  const emu = await world.start();
  emu.setCodeDeployTiming({ minuteMs, hookTimeoutMs: 60_000 });
  return emu;
}

/** What CodeDeploy itself did to the alias: [FunctionVersion, weights] per UpdateAlias it made. */
function codeDeployShifts(emu: RunningEmulator): Array<[string, Record<string, number>]> {
  return emu
    .calls()
    .filter((call) => call.origin === 'codedeploy' && call.operation === 'UpdateAlias' && call.status === 200)
    .map((call) => {
      const params = call.params as {
        FunctionVersion: string;
        RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
      };
      return [params.FunctionVersion, params.RoutingConfig?.AdditionalVersionWeights ?? {}];
    });
}

/** The action's own alias writes: none, in this mode (CodeDeploy owns the alias). */
function actionAliasWrites(emu: RunningEmulator): string[] {
  return emu
    .calls()
    .filter((call) => !call.origin && ['UpdateAlias', 'CreateAlias', 'DeleteAlias'].includes(call.operation))
    .map((call) => call.operation);
}

function deploymentOf(emu: RunningEmulator, id: string | undefined) {
  return emu.codeDeployState().deployments.find((d) => d.deploymentId === id);
}

test('a canary through CodeDeploy succeeds: the alias ends on the new version, the summary shows each event and weight', async () => {
  const emu = await start(150);
  const run = await deploy(emu, { ...CODEDEPLOY, strategy: 'Canary10Percent5Minutes', alarms: 'orders-errors' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'succeeded', version: '2', 'previous-version': '1', 'failure-reason': '' });
  const id = run.outputs['deployment-id'];
  expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
  expect(deploymentOf(emu, id)).toMatchObject({
    status: 'Succeeded',
    deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    applicationName: 'orders',
    deploymentGroupName: 'live',
    currentVersion: '1',
    targetVersion: '2'
  });
  expect(codeDeployShifts(emu)).toEqual([
    ['1', { '2': 0.1 }],
    ['2', {}]
  ]);
  // The action moved no traffic itself: once CodeDeploy succeeded, it only recorded version 2 as good in the description.
  expect(actionAliasWrites(emu)).toEqual(['UpdateAlias']);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', weights: {}, description: 'lambda-safe-deploy/1{"g":["2"]}' });
  // The group it created watches the alarms and rolls back by itself.
  expect(emu.codeDeployState().deploymentGroups).toEqual([
    expect.objectContaining({
      applicationName: 'orders',
      deploymentGroupName: 'live',
      alarms: { enabled: true, ignorePollAlarmFailure: false, names: ['orders-errors'] },
      autoRollback: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'] }
    })
  ]);
  expect(run.stdout).toContain(
    `https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${id}?region=us-east-1`
  );
  expect(run.summary).toContain('## ✅ Deployed: orders:live');
  expect(run.summary).toMatch(/\| watch \| Lifecycle event AllowTraffic: InProgress \| 0% \|/);
  expect(run.summary).toMatch(/\| watch \| CodeDeploy routes 10% of alias live&#39;s traffic to version 2 \| 10% \|/);
  expect(run.summary).toMatch(/\| watch \| CodeDeploy routes all of alias live&#39;s traffic to version 2 \| 100% \|/);
  expect(run.summary).toContain(
    `| CodeDeploy | deployment <a href="https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${id}?region=us-east-1">${id}</a> (CodeDeploy: Succeeded)`
  );
});

test('a custom canary becomes a configuration of its own, created once and reused by name', async () => {
  const emu = await start(100);
  const first = await deploy(emu, { ...CODEDEPLOY, strategy: 'Canary25Percent2Minutes' });
  expect(first.outputs.status).toBe('succeeded');
  emu.updateCode('orders');
  const second = await deploy(emu, { ...CODEDEPLOY, strategy: 'Canary25Percent2Minutes' });
  expect(second.outputs).toMatchObject({ status: 'succeeded', version: '3', 'previous-version': '2' });
  expect(emu.codeDeployState().deploymentConfigs).toEqual([
    expect.objectContaining({
      deploymentConfigName: 'LambdaSafeDeploy.Canary25Percent2Minutes',
      trafficRouting: { type: 'TimeBasedCanary', percentage: 25, intervalMinutes: 2 }
    })
  ]);
  const creates = emu.calls().filter((call) => call.operation.startsWith('Create') && call.service === 'codedeploy');
  expect(creates.map((call) => call.operation)).toEqual([
    'CreateApplication',
    'CreateDeploymentGroup',
    'CreateDeploymentConfig',
    'CreateDeployment',
    'CreateDeployment'
  ]);
  expect(codeDeployShifts(emu)).toEqual([
    ['1', { '2': 0.25 }],
    ['2', {}],
    ['2', { '3': 0.25 }],
    ['3', {}]
  ]);
});

test("an alarm during CodeDeploy's bake ends rolled-back, with the alarm named", async () => {
  const emu = await start(200);
  const run = await deploy(
    emu,
    { ...CODEDEPLOY, strategy: 'Canary10Percent30Minutes', alarms: 'orders-errors' },
    {
      onLine: (line) => {
        if (line.includes('CodeDeploy routes 10%'))
          emu.setAlarmState('orders-errors', 'ALARM', { reason: 'Threshold Crossed: 5 errors' });
      }
    }
  );
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'rolled-back', version: '2', 'previous-version': '1' });
  expect(run.outputs['failure-reason']).toMatch(
    /^alarm orders-errors is in ALARM \(CodeDeploy stopped deployment d-[A-Z0-9]{9}: ALARM_ACTIVE\)/
  );
  expect(run.outputs['failure-reason']).toContain('CodeDeploy rolled it back');
  expect(deploymentOf(emu, run.outputs['deployment-id'])).toMatchObject({
    status: 'Stopped',
    errorInformation: { code: 'ALARM_ACTIVE' }
  });
  expect(codeDeployShifts(emu)).toEqual([
    ['1', { '2': 0.1 }],
    ['1', {}]
  ]);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(run.summary).toContain('## ↩️ Rolled back: orders:live');
  expect(run.summary).toContain('**Rollback reason:** alarm orders-errors is in ALARM');
  expect(run.summary).toContain('Alias live routes 100% to version 1 (read back from Lambda)');
  expect(run.durationMs).toBeLessThan(20_000); // well short of the 6 s × 30 bake: it did not wait it out
});

test('a hook that reports Failed through PutLifecycleEventHookExecutionStatus rolls back', async () => {
  const emu = await start(100);
  emu.createFunction({ name: 'CodeDeployHook_verify' });
  const codedeploy = new CodeDeployClient({
    region: 'us-east-1',
    endpoint: emu.url,
    credentials: { accessKeyId: 'hook', secretAccessKey: 'hook' }
  });
  let answered: Promise<unknown> | undefined;
  try {
    const run = await deploy(
      emu,
      { ...CODEDEPLOY, strategy: 'Canary50Percent1Minute', 'post-traffic-hook': 'CodeDeployHook_verify' },
      {
        onLine: (line) => {
          if (!line.includes('Lifecycle event AfterAllowTraffic: InProgress')) return;
          // As the hook would: it learns its execution id from its event, and reports Failed.
          const deployment = emu.codeDeployState().deployments.find((d) => d.status === 'InProgress')!;
          const execution = deployment.lifecycleEvents.find((e) => e.name === 'AfterAllowTraffic')!.hooks[0]!;
          answered = codedeploy.send(
            new PutLifecycleEventHookExecutionStatusCommand({
              deploymentId: deployment.deploymentId,
              lifecycleEventHookExecutionId: execution.executionId,
              status: 'Failed'
            })
          );
        }
      }
    );
    await answered;
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.outputs['failure-reason']).toContain('HOOK_EXECUTION_FAILURE');
    expect(run.outputs['failure-reason']).toContain('CodeDeployHook_verify');
    expect(codeDeployShifts(emu)).toEqual([
      ['1', { '2': 0.5 }],
      ['2', {}],
      ['1', {}]
    ]);
    expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
    expect(run.stdout).toContain('Lifecycle event AfterAllowTraffic: Failed: ScriptFailed (CodeDeployHook_verify)');
    // The hook was CodeDeploy's to invoke (asynchronously), not the action's.
    const invokes = emu.calls().filter((call) => call.operation === 'Invoke' && call.params.InvocationType !== 'DryRun');
    expect(invokes.map((call) => [call.origin, call.params.InvocationType])).toEqual([['codedeploy', 'Event']]);
  } finally {
    codedeploy.destroy();
  }
});

test('wait: false hands over and exits 0 in-progress; a later watching step reports the result', async () => {
  const emu = await start(300);
  const handOver = await deploy(emu, { ...CODEDEPLOY, strategy: 'Canary10Percent5Minutes', wait: 'false' });
  expect(handOver.exitCode).toBe(0);
  const id = handOver.outputs['deployment-id'];
  expect(handOver.outputs).toMatchObject({ status: 'in-progress', version: '2', 'previous-version': '1', 'failure-reason': '' });
  expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
  expect(handOver.stdout).toContain(
    `in-progress: CodeDeploy deployment ${id} moves alias live to version 2; watch it at https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${id}?region=us-east-1`
  );
  expect(handOver.summary).toContain('## ⏳ Handed over to AWS CodeDeploy: orders:live');
  expect(deploymentOf(emu, id)?.status).toBe('InProgress');

  // Its post step leaves the deployment alone: it was handed over on purpose.
  const post = await runAction({
    endpoint: emu.url,
    entry: 'dist/post/index.js',
    inputs: { 'function-name': 'orders' },
    env: postStepEnv(handOver.state)
  });
  expect(post.exitCode).toBe(0);
  expect(post.stdout).toContain('The deployment ended in-progress: nothing to clean up.');
  expect(emu.calls().some((call) => call.operation === 'StopDeployment')).toBe(false);

  const watch = await deploy(emu, { engine: 'codedeploy', 'codedeploy-deployment-id': id! });
  expect(watch.exitCode).toBe(0);
  expect(watch.outputs).toMatchObject({ status: 'succeeded', version: '2', 'previous-version': '1', 'deployment-id': id });
  expect(JSON.parse(watch.outputs.plan!)).toEqual([
    { weightPercent: 10, bakeSeconds: 300 },
    { weightPercent: 100, bakeSeconds: 0 }
  ]);
  expect(watch.stdout).toContain(
    `Watching CodeDeploy deployment ${id} (orders/live, CodeDeployDefault.LambdaCanary10Percent5Minutes)`
  );
  expect(watch.summary).toContain('CodeDeploy routes all of alias live&#39;s traffic to version 2');
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', weights: {} });
  // Watching changed nothing: no publish, no alias write of its own.
  expect(emu.calls().filter((call) => call.operation === 'PublishVersion')).toHaveLength(1);
  expect(actionAliasWrites(emu)).toEqual([]);
});

test('a watching step refuses a deployment of another function', async () => {
  const emu = await start(300);
  const handOver = await deploy(emu, { ...CODEDEPLOY, strategy: 'Canary10Percent5Minutes', wait: 'false' });
  const watch = await deploy(emu, {
    'function-name': 'payments',
    engine: 'codedeploy',
    'codedeploy-deployment-id': handOver.outputs['deployment-id']!
  });
  expect(watch.exitCode).toBe(1);
  expect(watch.outputs['failure-reason']).toMatch(/deploys orders:live, not function payments/);
  expect(emu.calls().some((call) => call.operation === 'StopDeployment')).toBe(false);
});

test('cancelling the watching job stops the deployment; the alias returns to the previous version', async () => {
  const emu = await start(1_000);
  const run = await deploy(
    emu,
    { ...CODEDEPLOY, strategy: 'Canary10Percent30Minutes', alarms: 'orders-errors' },
    { signal: { name: 'SIGINT', afterMs: 100, afterLine: 'CodeDeploy routes 10%' } }
  );
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(
    /^the deployment was cancelled during watch \(SIGINT\): CodeDeploy deployment d-[A-Z0-9]{9} was stopped and rolled back/
  );
  expect(run.summary).toContain('## ↩️ Rolled back (cancelled): orders:live');
  const stop = emu.calls().find((call) => call.operation === 'StopDeployment')!;
  expect(stop.params).toMatchObject({ deploymentId: run.outputs['deployment-id'], autoRollbackEnabled: true });
  expect(stop.atMs - run.signalledAtMs!).toBeLessThan(5_000);
  expect(deploymentOf(emu, run.outputs['deployment-id'])).toMatchObject({
    status: 'Stopped',
    errorInformation: { code: 'MANUAL_STOP' }
  });
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });

  const post = await runAction({
    endpoint: emu.url,
    entry: 'dist/post/index.js',
    inputs: { 'function-name': 'orders' },
    env: postStepEnv(run.state)
  });
  expect(post.stdout).toContain('The deployment ended rolled-back: nothing to clean up.');
});

test("a job killed while it watched: the post step stops CodeDeploy's deployment and says so", async () => {
  const emu = await start(1_000);
  const run = await deploy(
    emu,
    { ...CODEDEPLOY, strategy: 'Canary10Percent30Minutes', engine: 'codedeploy' },
    { signal: { name: 'SIGKILL', afterMs: 100, afterLine: 'CodeDeploy routes 10%' } }
  );
  expect(run.exitCode).toBeNull();
  const saved = JSON.parse(run.state.deployment!) as { phase: string; codedeploy: { deploymentId: string; watching: boolean } };
  expect(saved).toMatchObject({ phase: 'watch', codedeploy: { watching: true } });
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: { '2': 0.1 } });

  const post = await runAction({
    endpoint: emu.url,
    entry: 'dist/post/index.js',
    inputs: { 'function-name': 'orders', engine: 'codedeploy' },
    env: postStepEnv(run.state)
  });
  expect(post.exitCode).toBe(0);
  expect(post.summary).toContain(
    `The post step stopped CodeDeploy deployment ${saved.codedeploy.deploymentId} with automatic rollback`
  );
  expect(deploymentOf(emu, saved.codedeploy.deploymentId)).toMatchObject({ status: 'Stopped' });
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
});

test('a step list is refused at input time in this mode, before any AWS call', async () => {
  const emu = await start(100);
  const run = await deploy(emu, { ...CODEDEPLOY, strategy: '5%:2m, 25%:5m' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toMatch(
    /^Input 'strategy' has an invalid value "5%:2m, 25%:5m": with engine codedeploy, a step list cannot be handed to CodeDeploy/
  );
  expect(run.outputs['failure-reason']).toContain("'engine: runner'");
  expect(emu.calls()).toEqual([]);
});

testIamPolicyCoversCalls();
