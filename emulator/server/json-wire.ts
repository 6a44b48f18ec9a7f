/** What the AWS JSON protocols (awsJson1_0, awsJson1_1) share on the wire. */

/** SDK-shaped output to JSON: Dates become epoch seconds (the protocols' default timestamp format). */
export function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  return value;
}

/** A JSON request body as an object (an empty body is `{}`); undefined when it is not a JSON object. */
export function parseObject(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
