import type { AliasState, ProvisionedConcurrency } from '../aws/lambda-gateway.js';
import type { FinalStatus } from './phases.js';
import type { EngineResult, EngineSnapshot } from './result.js';

/**
 * The port an engine implements: what moves the traffic once the spine (rollout.ts) has read
 * everything and released the versions. The spine runs the preflight, the plan's head ($LATEST and
 * the publish), the phases, the snapshots and the wording of a failure; an engine adds its own
 * read-only look, plans the tail as data, applies it step by step and undoes what it changed.
 * Outcomes cross this port as values, never as exceptions. Each engine is a folder of
 * src/engines/; a new one is a folder and one case in src/engines/index.ts.
 */
export interface Engine<Step, Look = unknown> {
  /** Log group titles of the engine's own phases, by name (no '%': the runner escapes it in titles). */
  readonly phaseTitles: Readonly<Record<string, string>>;
  /**
   * The engine's read-only look, run beside the spine's own reads (nothing in AWS changes): what
   * refuses the deployment, and the facts its plan needs.
   */
  preflight(signal?: AbortSignal): Promise<EngineLook<Look>>;
  /**
   * The plan's tail for the functions the preflight found and the facts of the engine's look: pure
   * data, each step carrying its own facts, or the problems that refuse the deployment. The
   * functions become part of the engine's state: its snapshot names them from now on.
   */
  plan(functions: readonly FoundFunction[], look: Look): TailPlan<Step>;
  /** One step as a line of the plan a person reads (the dry run, the summary). */
  describe(step: Step): string;
  /** The phase a step runs in; undefined: the phase of the step before. */
  phaseOf(step: Step): string | undefined;
  /** The head is done: the engine takes over the versions it released, and applies the tail with what it returns. */
  begin(releases: readonly Release[]): EngineRun<Step>;
  /** After a failure of the head or of a step: undoes what the engine changed, and says how that went. */
  onFailure(failure: Failure, control: RolloutControl, signal?: AbortSignal): Promise<Undo>;
  /** The engine's part of the snapshot: plain data, enough for a later process to finish the engine's work. */
  snapshot(): EngineSnapshot;
  /** The engine's part of the result. */
  result(): EngineResult;
}

/** An engine that has the versions: it applies the plan's tail, one step at a time. */
export interface EngineRun<Step> {
  /** Applies one step; a failure, or an end the engine's service decided, is the outcome. */
  apply(step: Step, control: RolloutControl, signal?: AbortSignal): Promise<StepOutcome>;
}

/** What an engine's own preflight found: problems refuse the deployment; `facts` feed its plan. */
export interface EngineLook<Look> {
  readonly problems: readonly string[];
  readonly facts: Look;
}

/** The plan's tail, or the problems that refuse the deployment (then the steps are not applied). */
export interface TailPlan<Step> {
  readonly problems: readonly string[];
  readonly steps: readonly Step[];
}

/** A function of the deployment as the spine's preflight found it. */
export interface FoundFunction {
  /** Its plain name, as messages give it. */
  readonly name: string;
  /** Its unqualified full ARN: every call names the function by it. */
  readonly arn: string;
  readonly alias: string;
  /** The alias as the preflight found it; undefined when it does not exist yet. */
  readonly found?: AliasState;
  /** The alias's provisioned concurrency as the preflight found it; undefined when it has none. */
  readonly provisioned?: ProvisionedConcurrency;
  /** The memory the new version gets, in MB, when known (what provisioned concurrency costs per execution). */
  readonly memorySizeMb?: number;
}

/** A function as the head leaves it to the engine. */
export interface Release {
  /** Which function: its index among the functions planned for. */
  readonly target: number;
  /** The version to deploy: the one published, or the live one Lambda gave back. */
  readonly version: string;
  /** That version was live already: nothing to deploy for this function, which drops out. */
  readonly alreadyLive: boolean;
  /** The alias as Lambda last confirmed it (a split put back before the publish counts); undefined when it does not exist. */
  readonly alias?: AliasState;
}

/** What the spine lends an engine while it applies a step or undoes one. */
export interface RolloutControl {
  /** Enters one of the engine's phases: a log group, and a snapshot for the post step. */
  enter(phase: string): void;
  /** Saves the snapshot now: right before a write a later process must know may have happened, and after it. */
  save(): void;
}

/** How applying a step went. */
export type StepOutcome =
  /** On to the next step. */
  | { readonly kind: 'done' }
  /** The step failed: `error` says why, `where` names the alias it stopped on when several move together. */
  | { readonly kind: 'failed'; readonly error: unknown; readonly where?: string }
  /** The rollout ended as the engine's service ended it (or handed it on): nothing is left to undo here. */
  | { readonly kind: 'ended'; readonly ending: Ending };

/** A rollout the engine ended by itself. */
export interface Ending {
  readonly status: FinalStatus;
  /** Why, when it did not succeed (capped, untrusted parts included). */
  readonly reason?: string;
  readonly cancelled: boolean;
  /** What the engine had to finish (a stop that got no answer) is left to the post step. */
  readonly owed: boolean;
}

/** What went wrong, for the engine to undo after. */
export interface Failure {
  /** What stopped the deployment: an AWS failure, a failed check or hook, a conflict. */
  readonly error: unknown;
  /** The sentence the result gives for it (capped). */
  readonly reason: string;
  readonly cancelled: boolean;
}

/** What undoing a failure came to. */
export type Undo =
  /** Nothing the engine changed carried traffic: there was nothing to undo. */
  | { readonly kind: 'nothing-to-undo' }
  /**
   * Another actor changed what the engine would undo: it is left as they set it. `others`: what else
   * the engine changed and put back beside it (several functions share one fate), named as messages
   * name each alias, and how putting them back went.
   */
  | { readonly kind: 'left-alone'; readonly others?: OthersUndone }
  /** Everything the engine changed is back as it was. */
  | { readonly kind: 'undone' }
  /** Undoing did not stick: why, the commands that fix it by hand, and whether the post step should try again. */
  | { readonly kind: 'not-undone'; readonly problem: string; readonly manualFix?: string; readonly owed: boolean };

/** The rest of a rollout the engine put back when another actor took one part of it. */
export interface OthersUndone {
  /** How messages name each alias put back (`function:alias`). */
  readonly aliases: readonly string[];
  readonly undo: Extract<Undo, { kind: 'undone' | 'not-undone' }>;
}

/** What the post step found of an interrupted deployment and did about it, in sentences for the log and the summary. */
export interface Recovery {
  /** False when there was nothing to undo. */
  readonly acted: boolean;
  /** One sentence per function (or one for the whole deployment when nothing was needed). */
  readonly lines: readonly string[];
  /** For the GitHub deployment's `error` status: one short line. */
  readonly outcome: string;
}
