import type { AlarmRef } from '../aws/alarm-gateway.js';
import { FUNCTION_REF_FORMS, isValidAliasName, parseAlarmArn, parseFunctionRef, type FunctionRef } from '../aws/arn.js';
import { parseDuration } from '../core/duration.js';
import { InputError } from '../core/input-error.js';
import { LAMBDA_VERSION_DESCRIPTION_MAX_CHARS } from '../core/limits.js';
import type { Env } from '../core/run-context.js';
import { parseStrategy } from './strategy.js';
import { metricPeriodSeconds, parseAnalysis } from './analysis.js';
import { LAMBDA_METRIC_PERIOD_SECONDS } from '../core/analysis.js';
import { parseArchitecture, parseCodeSource, parseConfiguration } from './code-inputs.js';
import { ITEM_INPUTS, parseFunctions } from './functions.js';
import { parseEngineInputs } from './engine.js';
import { parseProvisionedConcurrency } from './provisioned-concurrency.js';
import { parseHoldMaxAge, parseOperation, parseOperationKind, refuseItemInputs } from './operation.js';
import { parseDeploymentEnvironment, refuseRetiredEnvironment } from './deployment-environment.js';
import { Inputs, RetiredInputs, type InputName, type RetiredInputName } from './keys.js';
import { parseBoolean } from './primitives.js';
import { parseProbes } from './probes.js';
import { parsePruning } from './pruning.js';
import { parseReleaseSource } from './release-source.js';
import type { FinalBake, Settings, TargetSettings } from './settings.js';

/**
 * Defaults for optional inputs. action.yml declares the same values (a test keeps them equal); the
 * code applies them too, so a run without the runner (local-action, the demo) behaves the same.
 */
export const INPUT_DEFAULTS = {
  [Inputs.Alias]: 'live',
  [Inputs.Strategy]: 'AllAtOnce',
  [Inputs.AlarmPollInterval]: '10s',
  [Inputs.AllowAlarmAtStart]: 'false',
  [Inputs.MaxRetries]: '5',
  [Inputs.DryRun]: 'false',
  [Inputs.OnSplitAlias]: 'fail',
  [Inputs.CommandTimeout]: '10m',
  [Inputs.AllowNewAlias]: 'false',
  [Inputs.AllowExternalSymlinks]: 'false',
  [Inputs.AwsConnectTimeout]: '5s',
  [Inputs.AwsRequestTimeout]: '30s',
  [Inputs.MaxBakeExtension]: '10m',
  [Inputs.FailedChecksLimit]: '1',
  [Inputs.Engine]: 'runner',
  [Inputs.Wait]: 'true',
  [Inputs.ProvisionedConcurrencyTimeout]: '10m',
  [Inputs.OnUnroutedTriggers]: 'warn',
  [Inputs.Prune]: 'false',
  [Inputs.Operation]: 'deploy',
  [Inputs.HoldMaxAge]: '24h'
} as const satisfies Partial<Record<InputName, string>>;

export const MAX_ALARMS = 100;
const MAX_RETRIES_LIMIT = 20;

/** Where the input values come from: the runner's INPUT_* variables in the action, a table in tests. */
export interface InputSource {
  /** The raw value of an input, '' when it was not given (a retired input is read only to refuse it). */
  get(name: InputName | RetiredInputName): string;
  /** The run's environment, for the default version description (GITHUB_REPOSITORY, GITHUB_SHA, ...). */
  readonly env: Env;
  /** Reads a file an input names (`probe-payload`), relative to the workspace; absent: none can be read. */
  readonly readFile?: (path: string) => string;
}

/**
 * Parses and validates every input (pure: no I/O but the source's own `readFile`). Throws InputError, naming the input, the value
 * and the expected form, on the first bad one.
 */
export function parseSettings(source: InputSource): Settings {
  /** The input's trimmed value, or its default when empty. */
  const read = (name: InputName): string => {
    const value = source.get(name).trim();
    return value !== '' ? value : ((INPUT_DEFAULTS as Partial<Record<InputName, string>>)[name] ?? '');
  };
  refuseRetiredEnvironment(source.get(RetiredInputs.Environment));
  /** The input's value when it was given one other than its default. */
  const given = (name: InputName): string | undefined => {
    const value = source.get(name).trim();
    return value !== '' && value !== (INPUT_DEFAULTS as Partial<Record<InputName, string>>)[name] ? value : undefined;
  };
  // Read first: what each operation does not read is refused before its value is looked at.
  const operation = parseOperation(parseOperationKind(read(Inputs.Operation)), { read, given });
  const alias = parseAlias(read(Inputs.Alias));
  const strategy = parseStrategy(read(Inputs.Strategy), Inputs.Strategy);
  const maxBakeExtensionMs = parseDuration(read(Inputs.MaxBakeExtension), Inputs.MaxBakeExtension, {
    min: 0,
    max: 6 * 60 * 60_000
  });
  const targets = parseTargets(source, read, alias);
  refuseItemInputs(operation.kind, targets);
  const release = parseReleaseSource((name) => source.get(name).trim(), source.get(Inputs.Functions), targets);
  // The top-level version inputs are refused with the operation's other unread inputs; an item's version here.
  if (operation.kind !== 'deploy' && release.kind !== 'publish') {
    throw new InputError(
      Inputs.Functions,
      source.get(Inputs.Functions).trim(),
      `operation ${operation.kind} acts on the version the alias's record holds, and an item names a version`,
      `no version in the items of functions with operation: ${operation.kind}`
    );
  }
  // The configuration inputs apply to every function: checked against an image if there is one, else any code source.
  const codes = targets.flatMap((target) => (target.code ? [target.code] : []));
  const code = codes.find((each) => each.kind === 'image') ?? codes[0];
  const codeSha256 = parseCodeSha256(read(Inputs.CodeSha256));
  if (codeSha256 && targets.length > 1) {
    throw new InputError(
      Inputs.CodeSha256,
      codeSha256,
      'it guards the code of one function, and functions names several',
      'no code-sha256 with functions (give each function its code source instead)'
    );
  }
  if (code && codeSha256) {
    throw new InputError(
      Inputs.CodeSha256,
      codeSha256,
      "it guards code uploaded by an earlier step, and this step uploads the code itself (PublishVersion is then guarded by that code's own hash)",
      'no code-sha256 together with zip-file, code-dir, s3-bucket or image-uri'
    );
  }
  const configuration = parseConfiguration(read, source.get(Inputs.EnvVars), code);
  const architecture = parseArchitecture(read, code);
  const regions = new Set(targets.map((target) => target.functionRegion));
  const [region] = regions;
  // Read in the order of the fields below, so that of two bad inputs the same one is named first.
  const alarms = parseAlarms(source.get(Inputs.Alarms));
  const allowNewAlias = parseBoolean(Inputs.AllowNewAlias, read(Inputs.AllowNewAlias));
  const alarmPollIntervalMs = parseDuration(read(Inputs.AlarmPollInterval), Inputs.AlarmPollInterval, {
    min: 100,
    max: 60 * 60_000
  });
  const settings: Settings = {
    targets,
    strategy,
    alarms,
    allowNewAlias,
    alarmPollIntervalMs,
    maxBakeExtensionMs,
    ...optional('finalBake', parseFinalBake(read(Inputs.FinalBake))),
    // A progress line a minute; against an emulator, a minute is its metrics period.
    progressIntervalMs: progressIntervalMs(source.env),
    // A promotion's steps come from the hold's record: only a deployment's strategy is checked against the analysis.
    ...optional(
      'analysis',
      parseAnalysis({ read, env: source.env, ...(operation.kind === 'deploy' ? { strategy } : {}), maxBakeExtensionMs })
    ),
    ...optional(
      'probes',
      parseProbes({
        read,
        ...(source.readFile ? { readFile: source.readFile } : {}),
        engine: read(Inputs.Engine)
      })
    ),
    allowAlarmAtStart: parseBoolean(Inputs.AllowAlarmAtStart, read(Inputs.AllowAlarmAtStart)),
    versionDescription: parseDescription(read(Inputs.VersionDescription), source.env),
    ...optional('codeSha256', codeSha256),
    ...optional('configuration', configuration),
    ...optional('architecture', architecture),
    symlinks: parseBoolean(Inputs.AllowExternalSymlinks, read(Inputs.AllowExternalSymlinks))
      ? { kind: 'anywhere' }
      : { kind: 'inside', ...optional('workspace', source.env.GITHUB_WORKSPACE || undefined) },
    aws: {
      maxRetries: parseMaxRetries(read(Inputs.MaxRetries)),
      connectTimeoutMs: parseDuration(read(Inputs.AwsConnectTimeout), Inputs.AwsConnectTimeout, { min: 100, max: 60_000 }),
      requestTimeoutMs: parseDuration(read(Inputs.AwsRequestTimeout), Inputs.AwsRequestTimeout, { min: 1000, max: 15 * 60_000 }),
      ...(regions.size === 1 && region ? { region } : {})
    },
    dryRun: parseBoolean(Inputs.DryRun, read(Inputs.DryRun)),
    onSplitAlias: parseChoice(Inputs.OnSplitAlias, read(Inputs.OnSplitAlias), ['fail', 'rollback'] as const),
    ...optional('preTrafficCommand', read(Inputs.PreTrafficCommand) || undefined),
    ...optional('postTrafficCommand', read(Inputs.PostTrafficCommand) || undefined),
    commandTimeoutMs: parseDuration(read(Inputs.CommandTimeout), Inputs.CommandTimeout, { min: 1000, max: 6 * 60 * 60_000 }),
    ...optional('deploymentEnvironment', parseDeploymentEnvironment(read(Inputs.DeploymentEnvironment))),
    ...optional('githubToken', read(Inputs.GithubToken) || undefined),
    engine: parseEngineInputs(read, targets[0]!.functionName, targets[0]!.alias, alarmPollIntervalMs),
    provisionedConcurrency: parseProvisionedConcurrency(read, alarmPollIntervalMs, strategy.hold !== undefined),
    release,
    onUnroutedTriggers: parseChoice(Inputs.OnUnroutedTriggers, read(Inputs.OnUnroutedTriggers), ['warn', 'fail'] as const),
    pruning: parsePruning(read, operation.kind === 'deploy' && strategy.hold !== undefined),
    operation,
    holdMaxAgeMs: parseHoldMaxAge(read, given(Inputs.HoldMaxAge) !== undefined, strategy.hold !== undefined)
  };
  return settings;
}

/**
 * What each item of `functions` may hold, refused beside it: it belongs to an item there. Apart
 * from `alias`, which beside `functions` is every item's default.
 */
const PER_FUNCTION_INPUTS = [Inputs.FunctionName, ...ITEM_INPUTS.filter((name) => name !== Inputs.Alias)];

/** The functions to deploy: one from `function-name` and its inputs, or several from `functions`. */
function parseTargets(source: InputSource, read: (name: InputName) => string, alias: string): TargetSettings[] {
  const functions = source.get(Inputs.Functions).trim();
  if (functions === '') {
    const ref = parseFunctionName(read(Inputs.FunctionName));
    const code = parseCodeSource(read);
    const preTrafficHook = parseHook(Inputs.PreTrafficHook, read(Inputs.PreTrafficHook));
    const postTrafficHook = parseHook(Inputs.PostTrafficHook, read(Inputs.PostTrafficHook));
    return [
      {
        functionName: ref.base,
        ...(ref.region ? { functionRegion: ref.region } : {}),
        alias,
        ...optional('code', code),
        ...optional('preTrafficHook', preTrafficHook),
        ...optional('postTrafficHook', postTrafficHook)
      }
    ];
  }
  for (const name of PER_FUNCTION_INPUTS) {
    if (read(name) !== '') {
      throw new InputError(
        name,
        read(name),
        'it belongs to one function, and functions names the functions to deploy',
        name === Inputs.FunctionName
          ? 'either function-name (one function) or functions (several), not both'
          : `${name} inside each item of functions, for that function`
      );
    }
  }
  return parseFunctions(functions, alias, { functionRef: parseFunctionName, alias: parseAlias, hook: parseHook });
}

/**
 * How often a bake prints a progress line: a minute, or against an emulator its metrics period
 * (what stands for a minute there). The variable is checked only where the analysis reads it.
 */
function progressIntervalMs(env: Env): number {
  try {
    return metricPeriodSeconds(env) * 1000;
  } catch {
    return LAMBDA_METRIC_PERIOD_SECONDS * 1000;
  }
}

/** The longest final bake: as long as a hosted runner's job may last. */
export const MAX_FINAL_BAKE_MS = 6 * 60 * 60_000;

/** `final-bake`: empty or zero (`0`, `0s`) is off; else a duration of at least a second. */
function parseFinalBake(value: string): FinalBake | undefined {
  if (value === '' || value === '0') return undefined;
  const durationMs = parseDuration(value, Inputs.FinalBake, { min: 0, max: MAX_FINAL_BAKE_MS });
  if (durationMs === 0) return undefined;
  if (durationMs < 1000) {
    throw new InputError(
      Inputs.FinalBake,
      value,
      'a final bake shorter than a second watches nothing',
      'a duration such as 15m, or 0 for none'
    );
  }
  return { durationMs };
}

/** `{ [key]: value }`, or nothing when the value is undefined (optional settings stay absent). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function parseChoice<T extends string>(name: InputName, value: string, choices: readonly T[]): T {
  const choice = choices.find((candidate) => candidate === value);
  if (choice === undefined) throw new InputError(name, value, 'it is not one of the choices', choices.join(' or '));
  return choice;
}

function parseFunctionName(value: string): FunctionRef {
  if (value === '') {
    throw new InputError(
      Inputs.FunctionName,
      value,
      'it is required',
      `${FUNCTION_REF_FORMS} (or several functions in functions)`
    );
  }
  const ref = parseFunctionRef(value);
  if (!ref) throw new InputError(Inputs.FunctionName, value, 'it is not a Lambda function name or ARN', FUNCTION_REF_FORMS);
  if (ref.qualifier !== undefined) {
    throw new InputError(
      Inputs.FunctionName,
      value,
      `it has a qualifier (:${ref.qualifier}); the action publishes versions of the function itself and moves the alias named in 'alias'`,
      `${FUNCTION_REF_FORMS}, without a version or alias suffix`
    );
  }
  return ref;
}

function parseAlias(value: string): string {
  if (!isValidAliasName(value)) {
    throw new InputError(
      Inputs.Alias,
      value,
      /^\d+$/.test(value) ? 'a number names a version, not an alias' : 'it is not a valid alias name',
      'an alias name of 1 to 128 letters, digits, hyphens or underscores, not only digits (e.g. live)'
    );
  }
  return value;
}

/**
 * Alarm names or ARNs. A value on several lines is split on line breaks only, so that a name with a
 * comma can be given; a single line is split on commas. An ARN keeps its region and account.
 */
function parseAlarms(raw: string): AlarmRef[] {
  const entries = raw
    .trim()
    .split(raw.trim().includes('\n') ? /\r?\n/ : ',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const expected =
    `up to ${MAX_ALARMS} CloudWatch alarm names or ARNs, one per line ` +
    '(or separated by commas on one line; a name that holds a comma needs the one-per-line form)';
  const refs = new Map<string, AlarmRef>();
  for (const entry of entries) {
    const arn = entry.startsWith('arn:') ? parseAlarmArn(entry) : undefined;
    if (entry.startsWith('arn:') && !arn) {
      throw new InputError(
        Inputs.Alarms,
        entry,
        'it is not a CloudWatch alarm ARN',
        'arn:aws:cloudwatch:<region>:<account>:alarm:<name>, or a plain alarm name'
      );
    }
    const name = arn?.name ?? entry;
    if (name.length > 255 || /[\u0000-\u001f]/.test(name)) {
      throw new InputError(Inputs.Alarms, entry, 'an alarm name has 1 to 255 printable characters', expected);
    }
    refs.set(entry, arn ? { name, arn: entry, region: arn.region, accountId: arn.accountId } : { name });
  }
  if (refs.size > MAX_ALARMS) throw new InputError(Inputs.Alarms, raw, `it names ${refs.size} alarms`, expected);
  return [...refs.values()];
}

function parseHook(name: InputName, value: string): string | undefined {
  if (value === '') return undefined;
  if (!parseFunctionRef(value)) {
    throw new InputError(
      name,
      value,
      'it is not a Lambda function name or ARN',
      `${FUNCTION_REF_FORMS}, optionally with :alias or :version`
    );
  }
  return value;
}

function parseMaxRetries(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > MAX_RETRIES_LIMIT) {
    throw new InputError(
      Inputs.MaxRetries,
      value,
      'it is not a whole number in range',
      `a whole number from 0 to ${MAX_RETRIES_LIMIT}`
    );
  }
  return number;
}

function parseCodeSha256(value: string): string | undefined {
  if (value === '') return undefined;
  if (!/^[A-Za-z0-9+/]{43}=$/.test(value)) {
    throw new InputError(
      Inputs.CodeSha256,
      value,
      'it is not a base64 SHA-256 digest',
      "the function's CodeSha256 as Lambda reports it: 44 base64 characters ending in '='"
    );
  }
  return value;
}

function parseDescription(value: string, env: Env): string {
  const description = value !== '' ? value : defaultDescription(env);
  if (description.length > LAMBDA_VERSION_DESCRIPTION_MAX_CHARS) {
    throw new InputError(
      Inputs.VersionDescription,
      description,
      `it has ${description.length} characters`,
      `at most ${LAMBDA_VERSION_DESCRIPTION_MAX_CHARS} characters (Lambda's limit)`
    );
  }
  return description;
}

/** "<owner/repo>@<sha> <run url>" when running in Actions; a plain note elsewhere. */
function defaultDescription(env: Env): string {
  const { GITHUB_REPOSITORY: repository, GITHUB_SHA: sha, GITHUB_RUN_ID: runId } = env;
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  if (!repository || !sha) return 'Deployed by lambda-safe-deploy';
  const runUrl = runId ? ` ${serverUrl}/${repository}/actions/runs/${runId}` : '';
  return `${repository}@${sha.slice(0, 12)}${runUrl}`.slice(0, LAMBDA_VERSION_DESCRIPTION_MAX_CHARS);
}
