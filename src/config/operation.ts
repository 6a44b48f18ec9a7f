import { parseDuration } from '../core/duration.js';
import { InputError } from '../core/input-error.js';
import { parseDeployWindow } from './deploy-window.js';
import { Inputs, type InputName } from './keys.js';
import type { OperationKind, OperationSettings, TargetSettings, WindowGate } from './settings.js';

/**
 * The `operation` input and the inputs of each operation (pure). `deploy` (the default) publishes
 * and rolls out; `promote`, `abort` and `guard` act on a rollout held for approval, as the alias's
 * record keeps it (src/alias/record.ts): they never publish, and refuse the inputs they would not
 * use rather than ignore them.
 */

const OPERATIONS: readonly OperationKind[] = ['deploy', 'promote', 'abort', 'guard'];

/** `hold-max-age`: a day by default; at most 14 days, since CloudWatch keeps one-minute metrics 15 days (the promotion judges the whole hold). */
export const MAX_HOLD_AGE_MS = 14 * 24 * 60 * 60_000;
const MIN_HOLD_AGE_MS = 60_000;
/** A reason (expedite, abort, override) is recorded in the summary and a GitHub status: one short line. */
const MAX_REASON_CHARS = 200;

/** Inputs every operation reads: which functions and aliases, how AWS is called, the GitHub deployment. */
const SHARED: readonly InputName[] = [
  Inputs.Operation,
  Inputs.FunctionName,
  Inputs.Functions,
  Inputs.Alias,
  Inputs.MaxRetries,
  Inputs.AwsConnectTimeout,
  Inputs.AwsRequestTimeout,
  Inputs.DeploymentEnvironment,
  Inputs.GithubToken
];

/**
 * How often and how long things are waited for: harmless where nothing waits, so every operation
 * takes them (a workflow may give its jobs the same ones).
 */
const TUNING: readonly InputName[] = [
  Inputs.AlarmPollInterval,
  Inputs.MaxBakeExtension,
  Inputs.CommandTimeout,
  Inputs.ProvisionedConcurrencyTimeout
];

/** What each operation on a hold reads; `deploy` reads every input but these operations' own. */
const READS: { readonly [kind in Exclude<OperationKind, 'deploy'>]: readonly InputName[] } = {
  promote: [
    ...SHARED,
    ...TUNING,
    Inputs.Alarms,
    Inputs.MaxErrorRate,
    Inputs.MaxErrorRateIncrease,
    Inputs.MaxP99Duration,
    Inputs.MaxP99DurationIncrease,
    Inputs.MinInvocations,
    Inputs.FailedChecksLimit,
    Inputs.ProbePayload,
    Inputs.ProbeExpect,
    Inputs.ProbeMaxDuration,
    Inputs.ProbeRate,
    Inputs.PostTrafficHook,
    Inputs.PostTrafficCommand,
    Inputs.FinalBake,
    Inputs.Expedite,
    Inputs.DeploymentId,
    Inputs.DeployWindow,
    Inputs.DeployWindowOverride,
    // A promotion that succeeds prunes as a deployment does.
    Inputs.KeepVersions,
    Inputs.KeepDays,
    Inputs.Prune
  ],
  abort: [...SHARED, ...TUNING, Inputs.DeploymentId, Inputs.Reason],
  guard: [...SHARED, ...TUNING, Inputs.Alarms]
};

/** The inputs only the operations on a hold read. */
const HOLD_ONLY: readonly InputName[] = [Inputs.Expedite, Inputs.DeploymentId, Inputs.Reason];

/** Why an operation does not read the other inputs. */
const WHY: { readonly [kind in OperationKind]: string } = {
  deploy: 'it belongs to operation promote, abort or guard, which act on a rollout held for approval',
  promote:
    'operation promote goes on with the held rollout as its record on the alias keeps it (the version, the steps left): ' +
    'it publishes nothing, runs no pre-traffic hook and shifts no other way',
  abort: 'operation abort only puts each held alias back on its previous version',
  guard: 'operation guard only reads the held aliases and the alarms, and aborts a hold past its age or with an alarm in ALARM'
};

/** How `parseOperation` reads the inputs. */
export interface OperationInputs {
  /** An input's trimmed value, or its default when empty. */
  readonly read: (name: InputName) => string;
  /** The input's value when it was given one other than its default; undefined otherwise. */
  readonly given: (name: InputName) => string | undefined;
}

/** The `operation` input alone (read first: the other inputs are checked against it). */
export function parseOperationKind(value: string): OperationKind {
  const kind = OPERATIONS.find((candidate) => candidate === value);
  if (kind === undefined) {
    throw new InputError(
      Inputs.Operation,
      value,
      'it is not one of the choices',
      'deploy (publish and roll out), promote or abort (continue or end a rollout held for approval), or guard ' +
        '(abort holds past their age or with an alarm in ALARM, for a scheduled workflow)'
    );
  }
  return kind;
}

/**
 * The operation and its own inputs; every input it does not read is refused when given. Throws
 * InputError naming the first such input.
 */
export function parseOperation(kind: OperationKind, { read, given }: OperationInputs): OperationSettings {
  refuseUnread(kind, given);
  switch (kind) {
    case 'deploy':
      return { kind, ...windowGate(read) };
    case 'promote': {
      const expedite = reasonOf(Inputs.Expedite, read(Inputs.Expedite));
      return {
        kind,
        ...windowGate(read),
        ...(expedite !== undefined ? { expedite } : {}),
        ...deploymentIdOf(read(Inputs.DeploymentId))
      };
    }
    case 'abort': {
      const reason = reasonOf(Inputs.Reason, read(Inputs.Reason));
      return { kind, ...(reason !== undefined ? { reason } : {}), ...deploymentIdOf(read(Inputs.DeploymentId)) };
    }
    case 'guard':
      return { kind };
  }
}

/** `hold-max-age`, in milliseconds; refused when given to a strategy that does not hold. */
export function parseHoldMaxAge(read: (name: InputName) => string, given: boolean, holds: boolean): number {
  const value = read(Inputs.HoldMaxAge);
  if (given && !holds) {
    throw new InputError(
      Inputs.HoldMaxAge,
      value,
      'it limits a hold for approval, and the strategy does not hold',
      'no hold-max-age, or a step list that holds, such as "10%:5m, 50%:hold"'
    );
  }
  return parseDuration(value, Inputs.HoldMaxAge, { min: MIN_HOLD_AGE_MS, max: MAX_HOLD_AGE_MS });
}

/** The items of `functions` an operation on a hold cannot use: their code, and hooks it would not run. */
export function refuseItemInputs(operation: OperationKind, targets: readonly TargetSettings[]): void {
  if (operation === 'deploy') return;
  for (const target of targets) {
    const unread: Array<[InputName, string | undefined]> = [
      [Inputs.Functions, target.code ? `${target.functionName} with a code source` : undefined],
      [Inputs.PreTrafficHook, target.preTrafficHook],
      [Inputs.PostTrafficHook, operation === 'promote' ? undefined : target.postTrafficHook]
    ];
    for (const [name, value] of unread) {
      if (value !== undefined) throw new InputError(name, value, WHY[operation], `no ${name} with operation: ${operation}`);
    }
  }
}

function refuseUnread(kind: OperationKind, given: (name: InputName) => string | undefined): void {
  const unread =
    kind === 'deploy' ? HOLD_ONLY : (Object.values(Inputs) as InputName[]).filter((name) => !READS[kind].includes(name));
  for (const name of unread) {
    const value = given(name);
    if (value !== undefined) throw new InputError(name, value, WHY[kind], `no ${name} with operation: ${kind}`);
  }
}

function windowGate(read: (name: InputName) => string): { window?: WindowGate } {
  const window = parseDeployWindow(read(Inputs.DeployWindow), Inputs.DeployWindow);
  const override = reasonOf(Inputs.DeployWindowOverride, read(Inputs.DeployWindowOverride));
  if (override !== undefined && !window) {
    throw new InputError(
      Inputs.DeployWindowOverride,
      override,
      'it overrides deploy-window, and none is given',
      'no deploy-window-override, or a deploy-window beside it'
    );
  }
  return window ? { window: { window, ...(override !== undefined ? { override } : {}) } } : {};
}

/** A person's reason, recorded in the summary and the GitHub deployment: one line, short. */
function reasonOf(name: InputName, value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > MAX_REASON_CHARS || /[\r\n]/.test(value)) {
    throw new InputError(
      name,
      value,
      'a reason is recorded in the job summary and the GitHub deployment',
      `one line of at most ${MAX_REASON_CHARS} characters`
    );
  }
  return value;
}

/** The deploy's `deployment-id` output: `<run id>-<attempt>-<8 hex>`, or `local-1-<8 hex>` outside Actions. */
const DEPLOYMENT_ID = /^[\w.-]{1,64}$/;

function deploymentIdOf(value: string): { deploymentId?: string } {
  if (value === '') return {};
  if (!DEPLOYMENT_ID.test(value)) {
    throw new InputError(
      Inputs.DeploymentId,
      value,
      'it is not a deployment id of this action',
      "the deployment-id output of the step that held, such as 12345678901-1-ab12cd34 (the alias's record holds it too)"
    );
  }
  return { deploymentId: value };
}
