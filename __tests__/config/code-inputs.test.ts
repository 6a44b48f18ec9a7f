import { describe, expect, test } from '@jest/globals';
import { parseSettings } from '../../src/config/inputs.js';
import { Inputs } from '../../src/config/keys.js';
import { InputError } from '../../src/core/input-error.js';
import { describeCodeSource, imageDigest } from '../../src/code/source.js';
import { environmentBytes, parseEnvVars } from '../../src/config/env-vars.js';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders';
const LAYER = 'arn:aws:lambda:us-east-1:123456789012:layer:deps:3';

function settings(values: Record<string, string>) {
  const inputs: Record<string, string> = { [Inputs.FunctionName]: 'orders', ...values };
  return parseSettings({ get: (name) => inputs[name] ?? '', env: {} });
}

function refusal(values: Record<string, string>): InputError {
  try {
    settings(values);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('code sources', () => {
  test('none given: the code and configuration stay out of the settings (publish $LATEST as it is)', () => {
    const parsed = settings({});
    expect(parsed.targets[0]!.code).toBeUndefined();
    expect(parsed.configuration).toBeUndefined();
    expect(parsed.architecture).toBeUndefined();
  });

  test.each([
    [{ [Inputs.ZipFile]: ' build/orders.zip ' }, { kind: 'zip-file', path: 'build/orders.zip' }],
    [{ [Inputs.CodeDir]: 'dist/' }, { kind: 'code-dir', path: 'dist/' }],
    [
      { [Inputs.S3Bucket]: 'my-artifacts', [Inputs.S3Key]: 'orders/42.zip' },
      { kind: 's3', bucket: 'my-artifacts', key: 'orders/42.zip' }
    ],
    [
      { [Inputs.S3Bucket]: 'my-artifacts', [Inputs.S3Key]: 'orders/42.zip', [Inputs.S3ObjectVersion]: '3HL4kqt' },
      { kind: 's3', bucket: 'my-artifacts', key: 'orders/42.zip', objectVersion: '3HL4kqt' }
    ],
    [{ [Inputs.ImageUri]: `${IMAGE}:v1.2` }, { kind: 'image', imageUri: `${IMAGE}:v1.2` }],
    [{ [Inputs.ImageUri]: `${IMAGE}@sha256:${'f'.repeat(64)}` }, { kind: 'image', imageUri: `${IMAGE}@sha256:${'f'.repeat(64)}` }]
  ])('%j', (values, code) => {
    expect(settings(values).targets[0]!.code).toEqual(code);
  });

  test('sources are described for people; only a digest pins an image', () => {
    expect(describeCodeSource({ kind: 's3', bucket: 'b', key: 'k.zip', objectVersion: '7' })).toBe('s3://b/k.zip (version 7)');
    expect(imageDigest(`${IMAGE}@sha256:${'f'.repeat(64)}`)).toBe(`sha256:${'f'.repeat(64)}`);
    expect(imageDigest(`${IMAGE}:latest`)).toBeUndefined();
  });
});

describe('configuration', () => {
  test('every value is read; the architecture comes with a code source', () => {
    const parsed = settings({
      [Inputs.CodeDir]: 'dist',
      [Inputs.Handler]: 'index.main',
      [Inputs.Runtime]: 'nodejs22.x',
      [Inputs.MemorySize]: '1024',
      [Inputs.Timeout]: '1m30s',
      [Inputs.EnvVars]: 'DB_URL=postgres://db/orders?ssl=true\n\n# a comment\nEMPTY=\nSPACED = keeps = signs ',
      [Inputs.Layers]: `${LAYER}\narn:aws:lambda:us-east-1:123456789012:layer:otel:12`,
      [Inputs.Architectures]: 'arm64',
      [Inputs.Description]: 'Orders API'
    });
    expect(parsed.configuration).toEqual({
      handler: 'index.main',
      runtime: 'nodejs22.x',
      memorySize: 1024,
      timeoutSeconds: 90,
      description: 'Orders API',
      environment: { DB_URL: 'postgres://db/orders?ssl=true', EMPTY: '', SPACED: ' keeps = signs ' },
      layers: [LAYER, 'arn:aws:lambda:us-east-1:123456789012:layer:otel:12']
    });
    expect(parsed.architecture).toBe('arm64');
  });

  test('env-vars as a JSON object; a timeout in plain seconds', () => {
    const parsed = settings({ [Inputs.EnvVars]: '{"LOG_LEVEL": "debug", "RETRIES": 3, "STRICT": true}', [Inputs.Timeout]: '30' });
    expect(parsed.configuration).toEqual({
      timeoutSeconds: 30,
      environment: { LOG_LEVEL: 'debug', RETRIES: '3', STRICT: 'true' }
    });
  });
});

const SECRET = 'hunter2-very-secret';

describe('refusals name the input, and never quote a variable value', () => {
  test.each([
    [
      'two sources',
      { [Inputs.ZipFile]: 'a.zip', [Inputs.CodeDir]: 'dist' },
      Inputs.CodeDir,
      /only one code source may be given, and zip-file is given too/
    ],
    [
      'an image and a bucket',
      { [Inputs.S3Bucket]: 'bucket-1', [Inputs.S3Key]: 'k', [Inputs.ImageUri]: `${IMAGE}:v1` },
      Inputs.ImageUri,
      /s3-bucket is given too/
    ],
    ['a key without a bucket', { [Inputs.S3Key]: 'k.zip' }, Inputs.S3Key, /needs s3-bucket too/],
    ['a bucket without a key', { [Inputs.S3Bucket]: 'bucket-1' }, Inputs.S3Key, /required with s3-bucket/],
    [
      'a bucket name with capitals',
      { [Inputs.S3Bucket]: 'My_Bucket', [Inputs.S3Key]: 'k' },
      Inputs.S3Bucket,
      /not an S3 bucket name/
    ],
    ['an image without tag or digest', { [Inputs.ImageUri]: IMAGE }, Inputs.ImageUri, /with a tag or a digest/],
    [
      'code-sha256 with a source',
      { [Inputs.ZipFile]: 'a.zip', [Inputs.CodeSha256]: `${'a'.repeat(43)}=` },
      Inputs.CodeSha256,
      /uploads the code itself/
    ],
    [
      'a handler for an image',
      { [Inputs.ImageUri]: `${IMAGE}:v1`, [Inputs.Handler]: 'index.handler' },
      Inputs.Handler,
      /container image/
    ],
    ['an architecture without code', { [Inputs.Architectures]: 'arm64' }, Inputs.Architectures, /only together with the code/],
    [
      'an unknown architecture',
      { [Inputs.ZipFile]: 'a.zip', [Inputs.Architectures]: 'amd64' },
      Inputs.Architectures,
      /x86_64 or arm64/
    ],
    ['64 MB of memory', { [Inputs.MemorySize]: '64' }, Inputs.MemorySize, /128 to 10240/],
    ['a 16-minute timeout', { [Inputs.Timeout]: '16m' }, Inputs.Timeout, /./],
    ['a timeout of 1.5 s', { [Inputs.Timeout]: '1500ms' }, Inputs.Timeout, /whole number of seconds/],
    ['a runtime with spaces', { [Inputs.Runtime]: 'node js' }, Inputs.Runtime, /runtime identifier/],
    [
      'six layers',
      { [Inputs.Layers]: Array.from({ length: 6 }, (_, i) => `${LAYER.slice(0, -1)}${i}`).join('\n') },
      Inputs.Layers,
      /names 6 layers/
    ],
    ['a layer that is no ARN', { [Inputs.Layers]: 'deps:3' }, Inputs.Layers, /not a layer version ARN/]
  ])('%s', (_name, values, input, problem) => {
    const error = refusal(values);
    expect(error.input).toBe(input);
    expect(error.message).toMatch(problem);
  });

  test.each([
    ['a line without =', `GOOD=1\n${SECRET}`, /line 2 has no '='/],
    ['a name with a dash', `MY-KEY=${SECRET}`, /starts with a letter/],
    ['a one-letter name', `A=${SECRET}`, /at least two/],
    ['a reserved name', `AWS_REGION=${SECRET}`, /set by Lambda itself/],
    ['a name given twice', `TOKEN=${SECRET}\nTOKEN=${SECRET}`, /TOKEN is given twice/],
    ['JSON that does not parse', `{"TOKEN": "${SECRET}"`, /not valid JSON/],
    ['JSON that is no object', `["${SECRET}"]`, /not a JSON object/],
    ['a JSON value that is an object', `{"TOKEN": {"v": "${SECRET}"}}`, /not a string, a number or a boolean/],
    ['more than 4 KB in all', `BIG=${SECRET}${'x'.repeat(5000)}`, /Lambda allows 4096/],
    // Names and values add up to 4000 bytes; Lambda measures the JSON of the set: 4241 bytes.
    [
      'under 4 KB of names and values, over it as the JSON Lambda measures',
      Array.from({ length: 40 }, (_, i) => `V${String(i).padStart(2, '0')}=${SECRET}${'x'.repeat(97 - SECRET.length)}`).join(
        '\n'
      ),
      /take 4241 bytes as Lambda measures them/
    ]
  ])('env-vars: %s', (_name, value, problem) => {
    const error = refusal({ [Inputs.EnvVars]: value });
    expect(error.input).toBe(Inputs.EnvVars);
    expect(error.message).toMatch(problem);
    expect(error.message).not.toContain(SECRET);
    expect(error.value).not.toContain(SECRET);
  });
});

test('env-vars of exactly 4096 bytes as Lambda measures them (their JSON) are accepted', () => {
  // {"BIG":"…"}: 10 bytes around the value.
  const variables = parseEnvVars(`BIG=${'x'.repeat(4086)}`);
  expect(environmentBytes(variables!)).toBe(4096);
  expect(() => parseEnvVars(`BIG=${'x'.repeat(4087)}`)).toThrow(/take 4097 bytes/);
  // Multi-byte characters count as UTF-8 bytes.
  expect(environmentBytes({ NAME: 'é' })).toBe('{"NAME":"é"}'.length + 1);
});
