import { parseDuration } from '../core/duration.js';
import { InputError } from '../core/input-error.js';
import { Inputs, type InputName } from './keys.js';
import type { Headroom, ProvisionedConcurrencySettings } from './settings.js';

/**
 * The provisioned-concurrency inputs (pure): how long a wait for Lambda's allocation may last, and
 * the optional headroom raised on an alias's provisioned concurrency for the rollout.
 */

/** A share above this is almost certainly a typo (it would multiply the bill by eleven). */
const MAX_HEADROOM_PERCENT = 1000;
/** Executions added at most (Lambda's default account concurrency is 1000). */
const MAX_HEADROOM_EXECUTIONS = 100_000;

const HEADROOM_EXPECTED =
  `a share of the alias's provisioned concurrency from 1% to ${MAX_HEADROOM_PERCENT}% (such as 20%), ` +
  `or a whole number of executions to add from 1 to ${MAX_HEADROOM_EXECUTIONS} (such as 10); empty for none`;

/** Lambda is asked at most this often during a wait (its control plane is rate-limited), and at least this often. */
const MIN_POLL_MS = 1000;
const MAX_POLL_MS = 5000;

/**
 * The settings of both inputs; `read` gives an input's trimmed value or its default. A wait reads
 * Lambda every `alarm-poll-interval`, kept between one and five seconds.
 */
export function parseProvisionedConcurrency(
  read: (name: InputName) => string,
  alarmPollIntervalMs: number,
  holds: boolean
): ProvisionedConcurrencySettings {
  const timeoutMs = parseDuration(read(Inputs.ProvisionedConcurrencyTimeout), Inputs.ProvisionedConcurrencyTimeout, {
    min: 1000,
    max: 6 * 60 * 60_000
  });
  const headroom = parseHeadroom(read(Inputs.ProvisionedConcurrencyHeadroom));
  if (headroom && holds) {
    // Lambda changes an alias's provisioned concurrency only while it has no weights, and a held alias keeps them
    // until a later job: a headroom could not be put back by this run, and would be billed for the whole hold.
    throw new InputError(
      Inputs.ProvisionedConcurrencyHeadroom,
      read(Inputs.ProvisionedConcurrencyHeadroom),
      'a strategy that holds for approval leaves the alias weighted when the run ends, and Lambda changes provisioned ' +
        'concurrency only on an alias without weights, so the headroom could not be put back',
      'no provisioned-concurrency-headroom with a strategy that holds (raise the provisioned concurrency yourself before the deployment)'
    );
  }
  const pollIntervalMs = Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, alarmPollIntervalMs));
  return { timeoutMs, pollIntervalMs, ...(headroom ? { headroom } : {}) };
}

function parseHeadroom(value: string): Headroom | undefined {
  if (value === '') return undefined;
  const fail = (problem: string): never => {
    throw new InputError(Inputs.ProvisionedConcurrencyHeadroom, value, problem, HEADROOM_EXPECTED);
  };
  const percent = /^(\d+)\s*%$/.exec(value);
  if (percent) {
    const share = Number(percent[1]);
    if (share < 1 || share > MAX_HEADROOM_PERCENT) fail(`the share must be from 1% to ${MAX_HEADROOM_PERCENT}%`);
    return { kind: 'percent', percent: share };
  }
  if (!/^\d+$/.test(value)) fail('it is neither a percentage nor a whole number');
  const executions = Number(value);
  if (executions < 1 || executions > MAX_HEADROOM_EXECUTIONS)
    fail(`the number of executions must be from 1 to ${MAX_HEADROOM_EXECUTIONS}`);
  return { kind: 'executions', executions };
}
