/**
 * Every workflow in .github/workflows and examples/ is valid YAML with the shape GitHub accepts, pins
 * the actions it uses, asks for the least permissions, and uses this action only with inputs and
 * outputs that action.yml declares. The example must also be safe to copy: OIDC credentials, and a
 * concurrency group that queues deployments rather than cancelling one mid-rollout.
 *
 * Each check returns a list of problems, so that the last tests can feed it a broken copy and show
 * that it would notice.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseDocument } from 'yaml';

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

const JOB_KEYS = new Set([
  'name',
  'permissions',
  'needs',
  'if',
  'runs-on',
  'snapshot',
  'environment',
  'concurrency',
  'outputs',
  'env',
  'defaults',
  'steps',
  'timeout-minutes',
  'strategy',
  'continue-on-error',
  'container',
  'services',
  'uses',
  'with',
  'secrets'
]);
const STEP_KEYS = new Set([
  'id',
  'if',
  'name',
  'uses',
  'run',
  'working-directory',
  'shell',
  'with',
  'env',
  'continue-on-error',
  'timeout-minutes'
]);
const PERMISSION_SCOPES = new Set([
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses'
]);
/** `owner/repo[/path]@ref`, the ref a version tag (v4, v4.1.2) or a full commit SHA. */
const PINNED_USES = /^[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@(?:v\d+(?:\.\d+){0,2}|[0-9a-f]{40})$/;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** This repository's action, as a step uses it: `./` in CI, `<owner>/lambda-safe-deploy@<ref>` in examples. */
function isThisAction(uses: string): boolean {
  return uses === './' || uses === '.' || /^[\w.-]+\/lambda-safe-deploy@/.test(uses);
}

function steps(job: Obj): Obj[] {
  return Array.isArray(job.steps) ? job.steps.filter(isObject) : [];
}

/** Parses strictly: duplicate keys, tabs or bad indentation are errors, as they are for GitHub. */
function parseWorkflow(text: string): { workflow?: Obj; problems: string[] } {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const problems = [...doc.errors, ...doc.warnings].map((error) => `YAML: ${error.message}`);
  const workflow = doc.toJS() as unknown;
  if (!isObject(workflow)) return { problems: [...problems, 'the file is not a mapping'] };
  return { workflow, problems };
}

/** on, jobs; each job runs steps on a runner or calls a reusable workflow; each step uses or runs. */
function shapeProblems(workflow: Obj): string[] {
  const problems: string[] = [];
  const on = workflow.on;
  if (on === undefined || on === null || (typeof on !== 'string' && !Array.isArray(on) && !isObject(on))) {
    problems.push('no `on:` trigger');
  }
  if (!isObject(workflow.jobs) || Object.keys(workflow.jobs).length === 0) return [...problems, 'no jobs'];
  const jobIds = Object.keys(workflow.jobs);
  for (const [jobId, job] of Object.entries(workflow.jobs)) {
    if (!isObject(job)) {
      problems.push(`job ${jobId} is not a mapping`);
      continue;
    }
    for (const key of Object.keys(job)) if (!JOB_KEYS.has(key)) problems.push(`job ${jobId} has an unknown key ${key}`);
    const needs = typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs : [];
    for (const need of needs)
      if (!jobIds.includes(String(need))) problems.push(`job ${jobId} needs ${String(need)}, which does not exist`);
    if (typeof job.uses === 'string') {
      if (job.steps !== undefined || job['runs-on'] !== undefined)
        problems.push(`job ${jobId} calls a workflow and also has runs-on or steps`);
      continue;
    }
    if (job['runs-on'] === undefined) problems.push(`job ${jobId} has no runs-on`);
    if (!Array.isArray(job.steps) || job.steps.length === 0) {
      problems.push(`job ${jobId} has no steps`);
      continue;
    }
    const ids: string[] = [];
    job.steps.forEach((step, index) => {
      if (!isObject(step)) {
        problems.push(`job ${jobId} step ${index + 1} is not a mapping`);
        return;
      }
      const label = typeof step.name === 'string' ? step.name : typeof step.id === 'string' ? step.id : undefined;
      const where = `job ${jobId} step ${index + 1}${label ? ` (${label})` : ''}`;
      for (const key of Object.keys(step)) if (!STEP_KEYS.has(key)) problems.push(`${where} has an unknown key ${key}`);
      const kinds = ['uses', 'run'].filter((key) => step[key] !== undefined);
      if (kinds.length !== 1)
        problems.push(`${where} must have exactly one of uses and run, has ${kinds.length === 0 ? 'neither' : 'both'}`);
      if (step.run !== undefined && (typeof step.run !== 'string' || step.run.trim() === ''))
        problems.push(`${where} has an empty run`);
      if (typeof step.id === 'string') {
        if (ids.includes(step.id)) problems.push(`${where} repeats the step id ${step.id}`);
        ids.push(step.id);
      }
    });
  }
  return problems;
}

/** Every `uses:` of a step or job names a local path, a docker image, or an action pinned to a version. */
function pinningProblems(workflow: Obj): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(isObject(workflow.jobs) ? workflow.jobs : {})) {
    if (!isObject(job)) continue;
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

/** The permissions a job gets: its own, or else the workflow's. */
function effectivePermissions(workflow: Obj, job: Obj): Json | undefined {
  return job.permissions !== undefined ? job.permissions : workflow.permissions;
}

/**
 * Least privilege: every job has explicit permissions (its own or the workflow's), never a
 * `write-all`/`read-all` shorthand, and only two scopes may be written: `id-token` by a job that
 * gets AWS credentials through OIDC, `deployments` by a job that gives this action `environment`.
 */
function permissionProblems(workflow: Obj): string[] {
  const problems: string[] = [];
  const blocks = [
    workflow.permissions,
    ...Object.values(isObject(workflow.jobs) ? workflow.jobs : {}).map((job) => (isObject(job) ? job.permissions : undefined))
  ];
  for (const block of blocks) {
    if (typeof block === 'string') problems.push(`permissions: ${block} is a shorthand; list the scopes instead`);
  }
  for (const [jobId, job] of Object.entries(isObject(workflow.jobs) ? workflow.jobs : {})) {
    if (!isObject(job)) continue;
    const permissions = effectivePermissions(workflow, job);
    if (permissions === undefined) {
      problems.push(`job ${jobId} has no permissions (neither its own nor the workflow's), so it gets the repository default`);
      continue;
    }
    if (!isObject(permissions)) continue;
    const usesOidc = steps(job).some(
      (step) => typeof step.uses === 'string' && step.uses.startsWith('aws-actions/configure-aws-credentials@')
    );
    const recordsDeployments = steps(job).some(
      (step) =>
        typeof step.uses === 'string' && isThisAction(step.uses) && isObject(step.with) && step.with.environment !== undefined
    );
    for (const [scope, level] of Object.entries(permissions)) {
      if (!PERMISSION_SCOPES.has(scope)) problems.push(`job ${jobId}: unknown permission scope ${scope}`);
      if (!['read', 'write', 'none'].includes(String(level)))
        problems.push(`job ${jobId}: permission ${scope} has the level ${String(level)}`);
      if (level !== 'write') continue;
      const allowed = (scope === 'id-token' && usesOidc) || (scope === 'deployments' && recordsDeployments);
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
  for (const [jobId, job] of Object.entries(isObject(workflow.jobs) ? workflow.jobs : {})) {
    if (!isObject(job)) continue;
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

/** `${{ matrix.x }}` names a key the job's matrix defines; `steps.<id>` a step of the same job. */
function referenceProblems(workflow: Obj): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(isObject(workflow.jobs) ? workflow.jobs : {})) {
    if (!isObject(job)) continue;
    const text = JSON.stringify(job);
    const matrix = isObject(job.strategy) && isObject(job.strategy.matrix) ? job.strategy.matrix : undefined;
    const keys = new Set<string>();
    if (matrix) {
      for (const [key, value] of Object.entries(matrix)) {
        if (key === 'include' && Array.isArray(value))
          value.filter(isObject).forEach((entry) => Object.keys(entry).forEach((k) => keys.add(k)));
        else if (key !== 'exclude') keys.add(key);
      }
    }
    for (const [, key] of text.matchAll(/\bmatrix\.([\w-]+)/g)) {
      if (!keys.has(key!)) problems.push(`job ${jobId} reads matrix.${key}, which its matrix does not define`);
    }
    const ids = new Set(steps(job).flatMap((step) => (typeof step.id === 'string' ? [step.id] : [])));
    for (const [, id] of text.matchAll(/\bsteps\.([\w-]+)\./g)) {
      if (!ids.has(id!)) problems.push(`job ${jobId} reads steps.${id}, a step id it does not have`);
    }
  }
  return problems;
}

/**
 * What the example must show: the action used with an id and its status, version and
 * previous-version read later; OIDC credentials (id-token: write); a concurrency group per
 * environment that queues rather than cancels a deployment in progress.
 */
function exampleProblems(workflow: Obj, text: string): string[] {
  const problems: string[] = [];
  const jobs = Object.entries(isObject(workflow.jobs) ? workflow.jobs : {}).filter(
    (entry): entry is [string, Obj] =>
      isObject(entry[1]) && steps(entry[1]).some((step) => typeof step.uses === 'string' && isThisAction(step.uses))
  );
  if (jobs.length === 0) problems.push('the example does not use the action');
  for (const [jobId, job] of jobs) {
    const permissions = effectivePermissions(workflow, job);
    if (!isObject(permissions) || permissions['id-token'] !== 'write')
      problems.push(`job ${jobId} lacks permissions id-token: write for OIDC`);
    if (
      !steps(job).some((step) => typeof step.uses === 'string' && step.uses.startsWith('aws-actions/configure-aws-credentials@'))
    ) {
      problems.push(`job ${jobId} gets no AWS credentials through aws-actions/configure-aws-credentials`);
    }
    const concurrency = job.concurrency;
    if (!isObject(concurrency) || typeof concurrency.group !== 'string') problems.push(`job ${jobId} has no concurrency group`);
    else if (concurrency['cancel-in-progress'] !== false)
      problems.push(`job ${jobId} must not cancel a deployment in progress (cancel-in-progress: false)`);
    const deploy = steps(job).find((step) => typeof step.uses === 'string' && isThisAction(step.uses));
    if (typeof deploy?.id !== 'string') {
      problems.push(`job ${jobId} gives the action no id, so no later step can read its outputs`);
      continue;
    }
    for (const output of ['status', 'version', 'previous-version']) {
      if (!text.includes(`steps.${deploy.id}.outputs.${output}`))
        problems.push(`job ${jobId} does not show how to read the output ${output}`);
    }
  }
  return problems;
}

function allProblems(file: string, text: string): string[] {
  const { workflow, problems } = parseWorkflow(text);
  if (!workflow) return problems;
  return [
    ...problems,
    ...shapeProblems(workflow),
    ...pinningProblems(workflow),
    ...permissionProblems(workflow),
    ...actionUseProblems(workflow, text, action),
    ...referenceProblems(workflow),
    ...(file.startsWith('examples/') ? exampleProblems(workflow, text) : [])
  ];
}

describe('workflows', () => {
  test('the expected files are there', () => {
    expect(files).toEqual(
      expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/check-dist.yml', 'examples/deploy.yml'])
    );
  });

  test.each(files)('%s is a valid, pinned, least-privilege workflow that uses the action as declared', (file) => {
    expect(allProblems(file, readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
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
    for (const file of files.filter((name) => name.startsWith('.github/'))) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, script] of text.matchAll(/npm run ([\w:-]+)/g))
        expect([file, scripts.includes(script!)]).toEqual([file, true]);
    }
  });
});

describe('the checks notice a broken workflow (on in-memory copies)', () => {
  const example = readFileSync(join(ROOT, 'examples/deploy.yml'), 'utf8');
  // Only what the edit adds counts, so that these tests stay quiet when the real example is broken.
  const baseline = allProblems('examples/deploy.yml', example);
  const problemsOf = (text: string): string[] =>
    allProblems('examples/deploy.yml', text).filter((problem) => !baseline.includes(problem));
  const edit = (from: string | RegExp, to: string): string => {
    const edited = example.replace(from, to);
    expect(edited).not.toBe(example);
    return edited;
  };

  test('an input action.yml does not declare', () => {
    expect(problemsOf(edit('function-name: orders', 'function_name: orders'))).toEqual(
      expect.arrayContaining([
        'job deploy gives the action the input function_name, which action.yml does not declare',
        'job deploy gives the action neither function-name nor functions'
      ])
    );
  });

  test('an output action.yml does not declare', () => {
    expect(problemsOf(edit('steps.deploy.outputs.previous-version', 'steps.deploy.outputs.previous_version'))).toEqual(
      expect.arrayContaining(['job deploy reads the output previous_version of step deploy, which action.yml does not declare'])
    );
  });

  test('an unpinned action', () => {
    expect(problemsOf(edit('aws-actions/configure-aws-credentials@v4', 'aws-actions/configure-aws-credentials@main'))).toEqual([
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

  test('a step with both uses and run, a job without runs-on', () => {
    expect(
      problemsOf(
        edit('        uses: your-org/lambda-safe-deploy@v1', '        uses: your-org/lambda-safe-deploy@v1\n        run: echo hi')
      )
    ).toContain('job deploy step 3 (Deploy safely) must have exactly one of uses and run, has both');
    expect(problemsOf(edit('    needs: build\n    runs-on: ubuntu-latest\n', '    needs: build\n'))).toEqual([
      'job deploy has no runs-on'
    ]);
  });

  test('cancelling a deployment in progress', () => {
    expect(problemsOf(edit('cancel-in-progress: false', 'cancel-in-progress: true'))).toEqual([
      'job deploy must not cancel a deployment in progress (cancel-in-progress: false)'
    ]);
  });

  test('a matrix key that does not exist, invalid YAML', () => {
    expect(problemsOf(edit('${{ matrix.strategy }}', '${{ matrix.strategie }}'))).toEqual([
      'job deploy reads matrix.strategie, which its matrix does not define'
    ]);
    expect(problemsOf(edit('  build:\n', '  build:\n    name: Build\n')).some((problem) => problem.startsWith('YAML:'))).toBe(
      true
    );
  });
});
