import { parseDuration } from '../core/duration.js';
import { InputError } from '../core/input-error.js';
import { MAX_PROBE_RATE, type ProbeSettings } from '../core/probes.js';
import { Inputs, type InputName } from './keys.js';

/**
 * The probe inputs (pure: a file named by `probe-payload` is read through `readFile`). Probes are on
 * when `probe-payload` is given; its assertions and `probe-rate` need it.
 */

/** A probe file larger than this is refused: probes are small smoke events, and Lambda takes 6 MB at most. */
export const MAX_PROBE_PAYLOAD_BYTES = 256 * 1024;
/** At most this many events in one `probe-payload`. */
export const MAX_PROBE_EVENTS = 20;

/** What the probe inputs are parsed against. */
export interface ProbeInputs {
  readonly read: (name: InputName) => string;
  /** Reads a file the user named (relative to the workspace); throws when it cannot. */
  readonly readFile?: (path: string) => string;
  /** The engine the deployment runs on: only the runner sends probes. */
  readonly engine: string;
}

/** The probe settings, or undefined when `probe-payload` is not given. */
export function parseProbes({ read, readFile, engine }: ProbeInputs): ProbeSettings | undefined {
  const payload = read(Inputs.ProbePayload);
  const dependents = [Inputs.ProbeExpect, Inputs.ProbeMaxDuration, Inputs.ProbeRate].filter((name) => read(name) !== '');
  if (payload === '') {
    const [first] = dependents;
    if (first !== undefined) {
      throw new InputError(
        first,
        read(first),
        'it applies to probes, and probe-payload is not given',
        'a probe-payload beside it'
      );
    }
    return undefined;
  }
  if (engine !== 'runner') {
    throw new InputError(
      Inputs.ProbePayload,
      payload,
      `probes are sent by this action from the runner, and engine ${engine} hands the rollout to CodeDeploy`,
      'engine: runner, or a CodeDeploy BeforeAllowTraffic hook (pre-traffic-hook) instead of probes'
    );
  }
  const events = parseEvents(payload, readFile);
  const expectText = read(Inputs.ProbeExpect);
  const rate = read(Inputs.ProbeRate);
  const maxDuration = read(Inputs.ProbeMaxDuration);
  const ratePerSecond = rate === '' ? undefined : parseRate(rate);
  return {
    events,
    ...(expectText !== '' ? { expect: parseExpect(expectText) } : {}),
    ...(maxDuration !== ''
      ? { maxDurationMs: parseDuration(maxDuration, Inputs.ProbeMaxDuration, { min: 1, max: 15 * 60_000 }) }
      : {}),
    ...(ratePerSecond !== undefined && ratePerSecond > 0 ? { ratePerSecond } : {})
  };
}

/** Inline JSON (it starts like JSON) or a file of it; an array is several events, anything else one. */
function parseEvents(value: string, readFile: ProbeInputs['readFile']): string[] {
  const inline = /^[[{"]|^(true|false|null|-?\d)/.test(value);
  const expected = 'inline JSON (one event, or a JSON array of events) or the path of a file holding it';
  let text = value;
  if (!inline) {
    if (!readFile) throw new InputError(Inputs.ProbePayload, value, 'no file can be read here', expected);
    try {
      text = readFile(value);
    } catch (error: unknown) {
      const code = (error as { code?: unknown }).code;
      throw new InputError(
        Inputs.ProbePayload,
        value,
        `it is not JSON, and no file of that name could be read (${typeof code === 'string' ? code : 'unreadable'})`,
        expected
      );
    }
    if (Buffer.byteLength(text) > MAX_PROBE_PAYLOAD_BYTES) {
      throw new InputError(Inputs.ProbePayload, value, `the file is larger than ${MAX_PROBE_PAYLOAD_BYTES / 1024} KB`, expected);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError(
      Inputs.ProbePayload,
      value,
      inline ? 'it is not valid JSON' : 'the file does not hold valid JSON',
      expected
    );
  }
  const events = Array.isArray(parsed) ? parsed : [parsed];
  if (events.length === 0 || events.length > MAX_PROBE_EVENTS) {
    throw new InputError(
      Inputs.ProbePayload,
      value,
      `it holds ${events.length} events`,
      `from 1 to ${MAX_PROBE_EVENTS} events (to send an array as one event, wrap it: [[...]])`
    );
  }
  return events.map((event) => JSON.stringify(event));
}

function parseExpect(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new InputError(
      Inputs.ProbeExpect,
      value,
      'it is not valid JSON',
      'a JSON value the answer must contain, such as {"statusCode": 200} (objects match by subset)'
    );
  }
}

function parseRate(value: string): number {
  const rate = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(rate >= 0 && rate <= MAX_PROBE_RATE)) {
    throw new InputError(
      Inputs.ProbeRate,
      value,
      `it is not a number of calls per second from 0 to ${MAX_PROBE_RATE}`,
      `calls per second, such as 1 or 5 (0 or empty: no probes during the rollout; at most ${MAX_PROBE_RATE})`
    );
  }
  return rate;
}
