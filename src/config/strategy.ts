import { excerpt, formatDuration, parseDuration } from '../core/duration.js';
import { InputError } from '../core/input-error.js';
import type { HoldPoint, ScheduleStep, Strategy } from '../core/schedule.js';

/** CodeDeploy refuses deployments whose bake intervals add up to more than 2880 minutes (48 h). */
export const MAX_TOTAL_BAKE_MS = 2880 * 60_000;

/**
 * Most weighted steps a schedule may have. A linear with 1 % increments has 99, so every integer
 * linear fits; a step list is held to the same bound to keep plans and logs readable.
 */
export const MAX_STEPS = 100;

/** Largest share of traffic one step may add; a bigger jump is, in effect, AllAtOnce. */
export const MAX_INCREMENT_PERCENT = 99;

/** The prefix CodeDeploy puts before its predefined Lambda configurations; optional here. */
export const CODEDEPLOY_PREFIX = 'CodeDeployDefault.Lambda';

/** CodeDeploy's nine predefined Lambda deployment configurations, without the prefix. */
export const PREDEFINED_STRATEGIES = [
  'Canary10Percent5Minutes',
  'Canary10Percent10Minutes',
  'Canary10Percent15Minutes',
  'Canary10Percent30Minutes',
  'Linear10PercentEvery1Minute',
  'Linear10PercentEvery2Minutes',
  'Linear10PercentEvery3Minutes',
  'Linear10PercentEvery10Minutes',
  'AllAtOnce'
] as const;

/** The accepted forms, as shown in every strategy error. */
export const STRATEGY_EXPECTED =
  `one of CodeDeploy's predefined configurations (${PREDEFINED_STRATEGIES.join(', ')}; ` +
  `the ${CODEDEPLOY_PREFIX} prefix is optional), ` +
  'a custom Canary<P>Percent<N><Unit> or Linear<P>PercentEvery<N><Unit> with Unit Second(s), Minute(s) or Hour(s) ' +
  '(such as Canary25Percent2Minutes or Linear20PercentEvery5Minutes), ' +
  'or a step list of <percent>%:<duration> separated by commas or newlines, such as "5%:2m, 25%:5m, 50%:10m" ' +
  '(one step may hold for approval instead of baking: "10%:5m, 50%:hold")';

type Fail = (problem: string) => never;

const CANARY = /^canary(-?[\d.]+)percent(-?[\d.]+)([a-z]+)$/i;
const LINEAR = /^linear(-?[\d.]+)percentevery(-?[\d.]+)([a-z]+)$/i;
const STEP_ENTRY = /^([^%:]*)%\s*:(.*)$/;
/** The bake of a step that stops the run for a person's approval (`50%:hold`). */
const HOLD_BAKE = /^\s*hold\s*$/i;
/**
 * The steps after a hold, as the alias's record keeps them (`75%:10m, 100%`): Lambda's 256
 * characters of alias description must hold them beside the rest of the record and a person's text.
 */
export const MAX_AFTER_HOLD_CHARS = 60;
const PERCENT_WITH_TWO_DECIMALS = /^\d+(?:\.\d{1,2})?$/;
const MAX_SUGGESTION_DISTANCE = 3;
/** Longer inputs are not typos of a name; skipping them also bounds the edit-distance work. */
const MAX_SUGGESTION_INPUT_LENGTH = 64;

const INTERVAL_UNITS: Readonly<Record<string, { readonly name: string; readonly ms: number }>> = {
  second: { name: 'Second', ms: 1000 },
  minute: { name: 'Minute', ms: 60_000 },
  hour: { name: 'Hour', ms: 3_600_000 }
};

/**
 * Parses the `strategy` input: a predefined CodeDeploy configuration (prefix optional,
 * case-insensitive), a custom `Canary<P>Percent<N><Unit>` / `Linear<P>PercentEvery<N><Unit>`, or an
 * explicit step list such as `5%:2m, 25%:5m, 50%:10m`. The final 100 % step is always implicit.
 * @param value the raw input value
 * @param input the input's name, used in the error message
 * @throws InputError naming the input, the value, the precise problem and the accepted forms
 */
export function parseStrategy(value: string, input = 'strategy'): Strategy {
  const fail: Fail = (problem) => {
    throw new InputError(input, value, problem, STRATEGY_EXPECTED);
  };
  const text = value.trim();
  if (text === '') fail('the strategy is empty');
  const strategy = looksLikeStepList(text) ? parseStepList(text, input, fail) : parseNamed(stripPrefix(text), fail);
  checkSchedule(strategy, fail);
  return strategy;
}

/** Names never contain `%` or `:`, so either one means the user meant a step list. */
function looksLikeStepList(text: string): boolean {
  return text.includes('%') || text.includes(':');
}

function stripPrefix(text: string): string {
  const hasPrefix = text.toLowerCase().startsWith(CODEDEPLOY_PREFIX.toLowerCase());
  return hasPrefix ? text.slice(CODEDEPLOY_PREFIX.length) : text;
}

function parseNamed(name: string, fail: Fail): Strategy {
  if (name.toLowerCase() === 'allatonce') return { name: 'AllAtOnce', kind: 'all-at-once', steps: [] };
  const canary = CANARY.exec(name);
  if (canary) return parseCanary(canary[1]!, canary[2]!, canary[3]!, name, fail);
  const linear = LINEAR.exec(name);
  if (linear) return parseLinear(linear[1]!, linear[2]!, linear[3]!, name, fail);
  return fail(unknownNameProblem(name));
}

function parseCanary(percentText: string, countText: string, unitText: string, name: string, fail: Fail): Strategy {
  const percent = parseNamePercent(percentText, 'canary', fail);
  const interval = parseInterval(countText, unitText, 'canary', name, fail);
  return {
    name: `Canary${percent}Percent${interval.label}`,
    kind: 'canary',
    steps: [{ weightPercent: percent, bakeMs: interval.ms }]
  };
}

function parseLinear(percentText: string, countText: string, unitText: string, name: string, fail: Fail): Strategy {
  const percent = parseNamePercent(percentText, 'linear', fail);
  const interval = parseInterval(countText, unitText, 'linear', name, fail);
  return {
    name: `Linear${percent}PercentEvery${interval.label}`,
    kind: 'linear',
    steps: linearSteps(percent, interval.ms)
  };
}

/** P, 2P, 3P… while below 100, as CodeDeploy does; a non-dividing P simply stops short (30 → 90). */
export function linearSteps(percent: number, bakeMs: number): ScheduleStep[] {
  // A non-positive step would never reach 100; callers validate first, this guards the loop.
  if (!(percent > 0)) throw new RangeError(`linear percentage must be positive, got ${percent}`);
  const steps: ScheduleStep[] = [];
  for (let weight = percent; weight < 100; weight += percent) steps.push({ weightPercent: weight, bakeMs });
  return steps;
}

/** Canary and linear names carry whole percentages, as CodeDeploy's custom configurations do. */
function parseNamePercent(text: string, kind: string, fail: Fail): number {
  if (!/^-?\d+$/.test(text)) fail(`the ${kind} percentage must be a whole number between 1 and 99, got ${excerpt(text)}`);
  const percent = Number(text);
  if (percent >= 100) {
    fail(`the ${kind} percentage must be between 1 and 99, got ${excerpt(text)} (100 % at once is AllAtOnce)`);
  }
  if (percent < 1) fail(`the ${kind} percentage must be between 1 and 99, got ${excerpt(text)}`);
  return percent;
}

interface Interval {
  readonly ms: number;
  /** Canonical spelling such as `5Minutes` or `1Minute`. */
  readonly label: string;
}

function parseInterval(countText: string, unitText: string, kind: string, name: string, fail: Fail): Interval {
  const unit = INTERVAL_UNITS[unitText.toLowerCase().replace(/s$/, '')];
  if (!unit) {
    fail(withSuggestion(`unknown interval unit '${excerpt(unitText)}' (use Second(s), Minute(s) or Hour(s))`, name));
  }
  if (!/^-?\d+$/.test(countText)) fail(`the ${kind} interval must be a whole number, got ${excerpt(countText)}`);
  const count = Number(countText);
  const unitName = unit!.name.toLowerCase();
  if (count < 1) fail(`the ${kind} interval must be at least 1 ${unitName}, got ${excerpt(countText)}`);
  // Checked here, not only as a total, so an absurd count is reported as the user wrote it.
  if (count * unit!.ms > MAX_TOTAL_BAKE_MS) {
    fail(`the ${kind} interval must be at most 2880 minutes (48h), got ${excerpt(countText)} ${unitName}s`);
  }
  return { ms: count * unit!.ms, label: `${count}${unit!.name}${count === 1 ? '' : 's'}` };
}

function parseStepList(text: string, input: string, fail: Fail): Strategy {
  // Blank entries (trailing comma, empty lines in a YAML block) carry no meaning, so they are skipped.
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length > MAX_STEPS) fail(`a step list may have at most ${MAX_STEPS} steps, got ${entries.length}`);
  const parsed = entries.map((entry, index) => parseStepEntry(entry, index + 1, input, fail));
  const holds = parsed.flatMap((step, index) => (step.bakeMs === undefined ? [index + 1] : []));
  if (holds.length > 1) {
    fail(
      `a step list holds for approval once, but steps ${holds.join(' and ')} both hold ` +
        '(a promotion goes on with the steps after the hold, then 100 %)'
    );
  }
  const at = holds[0];
  const baked = (list: typeof parsed): ScheduleStep[] =>
    list.map((step) => ({ weightPercent: step.weightPercent, bakeMs: step.bakeMs ?? 0 }));
  if (at === undefined) {
    const steps = baked(parsed);
    return { name: formatStepList(steps), kind: 'steps', steps };
  }
  const steps = baked(parsed.slice(0, at - 1));
  const hold: HoldPoint = { weightPercent: parsed[at - 1]!.weightPercent, then: baked(parsed.slice(at)) };
  return { name: formatStepList(steps, hold), kind: 'steps', steps, hold };
}

/** One entry of a step list: its weight and bake, no bake for a hold. */
function parseStepEntry(
  entry: string,
  stepNumber: number,
  input: string,
  fail: Fail
): { readonly weightPercent: number; readonly bakeMs?: number } {
  const match = STEP_ENTRY.exec(entry);
  if (!match) fail(`step ${stepNumber} "${excerpt(entry)}" is not of the form <percent>%:<duration>, such as 5%:2m`);
  const weightPercent = parseStepPercent(match![1]!.trim(), stepNumber, fail);
  if (HOLD_BAKE.test(match![2]!)) return { weightPercent };
  const bakeMs = parseStepBake(match![2]!, stepNumber, input, fail);
  return { weightPercent, bakeMs };
}

function parseStepPercent(text: string, stepNumber: number, fail: Fail): number {
  if (!PERCENT_WITH_TWO_DECIMALS.test(text)) {
    fail(`step ${stepNumber}: the percentage must be a number with at most two decimals, got "${excerpt(text)}"`);
  }
  const percent = Number(text);
  if (percent <= 0) fail(`step ${stepNumber}: the percentage must be greater than 0, got ${excerpt(text)}`);
  if (percent >= 100) {
    fail(
      `step ${stepNumber}: the percentage must be below 100, got ${excerpt(text)} ` +
        '(100 % always follows the last step, so leave it out; for 100 % at once use AllAtOnce)'
    );
  }
  return percent;
}

/** Reports duration mistakes against the whole `strategy` value, pointing at the step. */
function parseStepBake(text: string, stepNumber: number, input: string, fail: Fail): number {
  try {
    return parseDuration(text, input, { max: MAX_TOTAL_BAKE_MS });
  } catch (error) {
    if (error instanceof InputError) return fail(`step ${stepNumber}: ${error.problem}`);
    throw error;
  }
}

/** Normalized step-list text, e.g. `5%:2m, 25%:5m, 50%:10m`, or `10%:5m, 50%:hold, 75%:10m` with a hold. */
export function formatStepList(steps: readonly ScheduleStep[], hold?: HoldPoint): string {
  const format = (list: readonly ScheduleStep[]): string[] =>
    list.map((step) => `${step.weightPercent}%:${formatDuration(step.bakeMs)}`);
  return [...format(steps), ...(hold ? [`${hold.weightPercent}%:hold`, ...format(hold.then)] : [])].join(', ');
}

/**
 * The steps after a hold as the alias's record keeps them, ending with the promotion: `75%:10m,
 * 100%`, or `100%` when the hold is the last weighted step. {@link parseAfterHold} reads it back.
 */
export function formatAfterHold(then: readonly ScheduleStep[]): string {
  return [...then.map((step) => `${step.weightPercent}%:${formatDuration(step.bakeMs)}`), '100%'].join(', ');
}

/**
 * Reads back {@link formatAfterHold}'s text (from an alias's record, which anyone may have edited):
 * the weighted steps, each above `heldPercent`; undefined when it is not such a text.
 */
export function parseAfterHold(text: string, heldPercent: number): ScheduleStep[] | undefined {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.at(-1) !== '100%' || text.length > MAX_AFTER_HOLD_CHARS) return undefined;
  if (entries.length === 1) return [];
  try {
    const strategy = parseStrategy(entries.slice(0, -1).join(', '));
    const first = strategy.steps[0];
    return strategy.hold || !first || first.weightPercent <= heldPercent ? undefined : [...strategy.steps];
  } catch {
    return undefined;
  }
}

/**
 * The invariants every schedule must hold, whatever form it came from. Most are guaranteed by the
 * parsers above; checking them once here keeps that true as forms are added.
 */
function checkSchedule(strategy: Strategy, fail: Fail): void {
  const { steps, hold } = strategy;
  // The weights rise through the hold too: the steps before it, the held weight, the steps after it.
  const sequence: ReadonlyArray<{ readonly weightPercent: number; readonly bakeMs?: number }> = [
    ...steps,
    ...(hold ? [{ weightPercent: hold.weightPercent }, ...hold.then] : [])
  ];
  if (sequence.length > MAX_STEPS) fail(`the schedule would have ${sequence.length} steps, at most ${MAX_STEPS} are allowed`);
  sequence.forEach((step, index) => checkStep(step, index === 0 ? undefined : sequence[index - 1], index + 1, fail));
  const total = [...steps, ...(hold?.then ?? [])].reduce((sum, step) => sum + step.bakeMs, 0);
  if (total > MAX_TOTAL_BAKE_MS) {
    fail(
      `the total bake time would be ${formatDuration(total)}, ` +
        `longer than CodeDeploy's limit of 2880 minutes (${formatDuration(MAX_TOTAL_BAKE_MS)})`
    );
  }
  const after = hold ? formatAfterHold(hold.then) : '';
  if (after.length > MAX_AFTER_HOLD_CHARS) {
    fail(
      `the steps after the hold (${excerpt(after)}) take ${after.length} characters, and the alias's record, which ` +
        `keeps them for the promotion in Lambda's 256 characters of alias description, has room for ${MAX_AFTER_HOLD_CHARS}: ` +
        'fewer steps after the hold'
    );
  }
}

/** One step against the one before it; `bakeMs` is absent for the hold, which bakes nothing. */
function checkStep(
  step: { readonly weightPercent: number; readonly bakeMs?: number },
  previous: { readonly weightPercent: number } | undefined,
  stepNumber: number,
  fail: Fail
): void {
  const weight = step.weightPercent;
  if (!(weight > 0 && weight < 100) || !hasAtMostTwoDecimals(weight)) {
    fail(`step ${stepNumber}: the percentage must be above 0 and below 100 with at most two decimals, got ${weight}`);
  }
  const previousWeight = previous?.weightPercent ?? 0;
  if (previous && weight <= previousWeight) {
    fail(
      `the percentages must strictly increase, but step ${stepNumber} (${weight}%) ` +
        `is not above step ${stepNumber - 1} (${previousWeight}%)`
    );
  }
  // Compare in hundredths so that float noise (99.01 - 0.01) cannot tip the check.
  if (Math.round(weight * 100) - Math.round(previousWeight * 100) > MAX_INCREMENT_PERCENT * 100) {
    fail(
      `step ${stepNumber} would shift ${Number((weight - previousWeight).toFixed(2))} percentage points at once, ` +
        `at most ${MAX_INCREMENT_PERCENT} are allowed (a bigger jump is AllAtOnce)`
    );
  }
  if (step.bakeMs !== undefined && (!Number.isInteger(step.bakeMs) || step.bakeMs <= 0)) {
    fail(`step ${stepNumber}: the bake time must be a positive whole number of milliseconds, got ${step.bakeMs}`);
  }
}

function hasAtMostTwoDecimals(value: number): boolean {
  return Math.abs(value * 100 - Math.round(value * 100)) < 1e-9;
}

function unknownNameProblem(name: string): string {
  if (/^canary.*percentevery/i.test(name)) return "a canary name has no 'Every', write Canary<P>Percent<N><Unit>";
  if (/^linear[\d.-]+percent[\d.-]/i.test(name)) return "a linear name needs 'Every', write Linear<P>PercentEvery<N><Unit>";
  return withSuggestion(`'${excerpt(name)}' is not a known strategy`, name);
}

/** Appends "did you mean …?" when a predefined name is within a few typos of what was written. */
function withSuggestion(problem: string, name: string): string {
  const suggestion = closestPredefined(name);
  return suggestion ? `${problem}; did you mean ${suggestion}?` : problem;
}

/** The predefined name nearest to `name` by edit distance, if it is within {@link MAX_SUGGESTION_DISTANCE}. */
export function closestPredefined(name: string): string | undefined {
  if (name.length > MAX_SUGGESTION_INPUT_LENGTH) return undefined;
  const lowered = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of PREDEFINED_STRATEGIES) {
    const distance = editDistance(lowered, candidate.toLowerCase());
    if (distance <= MAX_SUGGESTION_DISTANCE && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** Levenshtein distance; inputs are short names, so the plain O(n·m) table is fine. */
function editDistance(a: string, b: string): number {
  let previousRow = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previousRow[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(previousRow[j]! + 1, row[j - 1]! + 1, substitution));
    }
    previousRow = row;
  }
  return previousRow[b.length]!;
}
