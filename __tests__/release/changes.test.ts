import { describe, expect, test } from '@jest/globals';
import type { VersionConfiguration } from '../../src/aws/lambda-gateway.js';
import { compareVersions, variableDifferences, type WantedVersion } from '../../src/release/changes.js';

const LAYER = 'arn:aws:lambda:us-east-1:123456789012:layer:deps:3';
const DIGEST = `123456789012.dkr.ecr.us-east-1.amazonaws.com/orders@sha256:${'a'.repeat(64)}`;

function content(overrides: Partial<VersionConfiguration> = {}): VersionConfiguration {
  return {
    version: '1',
    revisionId: 'r1',
    codeSha256: 'live-code=',
    packageType: 'Zip',
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    memorySize: 128,
    timeoutSeconds: 3,
    description: 'function',
    layers: [],
    architectures: ['x86_64'],
    environment: { LOG_LEVEL: 'info' },
    ...overrides
  };
}
const live = content();
const want = (wanted: Partial<WantedVersion>): WantedVersion => ({ configuration: {}, ...wanted });

describe('nothing to do', () => {
  test('the code and every given value equal the live version: up to date, nothing to write', () => {
    const result = compareVersions(
      want({ code: { codeSha256: 'live-code=' }, configuration: { memorySize: 128, environment: { LOG_LEVEL: 'info' } } }),
      content({ version: '$LATEST' }),
      true,
      live
    );
    expect(result).toEqual({ fromLive: [], upToDate: true, configurationNames: [], uploadCode: false });
  });

  test('a digest-pinned image equal to the live resolved image is up to date; a tag never is', () => {
    const image = content({
      packageType: 'Image',
      handler: undefined,
      runtime: undefined,
      codeSha256: 'a'.repeat(64),
      resolvedImageUri: DIGEST
    });
    expect(compareVersions(want({ code: { pinnedImage: DIGEST } }), image, true, image).upToDate).toBe(true);
    const tagged = compareVersions(want({ code: {} }), image, true, image);
    expect(tagged).toMatchObject({ upToDate: false, uploadCode: true, fromLive: ['code (not known before it is uploaded)'] });
  });

  test('without a first deployment to compare with, nothing is up to date', () => {
    expect(compareVersions(want({ code: { codeSha256: 'live-code=' } }), content(), true, undefined)).toMatchObject({
      upToDate: false
    });
  });
});

describe('what to write, and what changes for the live version', () => {
  test('new code is uploaded; only the values $LATEST lacks are sent; variable changes are named, never shown', () => {
    const latest = content({ version: '$LATEST', memorySize: 256 });
    const result = compareVersions(
      want({
        code: { codeSha256: 'new=' },
        configuration: { memorySize: 256, environment: { LOG_LEVEL: 'debug', TOKEN: 's3cr3t' } }
      }),
      latest,
      true,
      live
    );
    expect(result).toEqual({
      fromLive: ['code', 'memory-size', 'env-vars (LOG_LEVEL, TOKEN)'],
      upToDate: false,
      configuration: { environment: { LOG_LEVEL: 'debug', TOKEN: 's3cr3t' } },
      configurationNames: ['env-vars (LOG_LEVEL, TOKEN)'],
      uploadCode: true
    });
    expect(JSON.stringify([result.fromLive, result.configurationNames])).not.toContain('s3cr3t');
  });

  test('what is not given comes from $LATEST: its code and values change the live version too', () => {
    const latest = content({ version: '$LATEST', codeSha256: 'pending=', timeoutSeconds: 10 });
    const result = compareVersions(want({ configuration: { handler: 'index.main' } }), latest, true, live);
    expect(result.fromLive).toEqual(['code', 'handler', 'timeout']);
    expect(result.configuration).toEqual({ handler: 'index.main' });
    expect(result.uploadCode).toBe(false);
  });

  test('code $LATEST holds already is not uploaded again, unless the architecture changes with it', () => {
    const latest = content({ version: '$LATEST', codeSha256: 'new=' });
    expect(compareVersions(want({ code: { codeSha256: 'new=' } }), latest, true, live)).toMatchObject({
      uploadCode: false,
      fromLive: ['code']
    });
    expect(compareVersions(want({ code: { codeSha256: 'new=' }, architecture: 'arm64' }), latest, true, live)).toMatchObject({
      uploadCode: true,
      fromLive: ['code', 'architectures']
    });
  });

  test('layers are compared in order; the description only with $LATEST', () => {
    const latest = content({ version: '$LATEST', layers: [LAYER] });
    const result = compareVersions(want({ configuration: { layers: [LAYER], description: 'new words' } }), latest, true, live);
    expect(result.configurationNames).toEqual(['description']);
    expect(result.fromLive).toEqual(['layers']);
  });

  test('after a failed update of $LATEST, everything given is written again', () => {
    const latest = content({ version: '$LATEST', codeSha256: 'new=', memorySize: 512 });
    const result = compareVersions(
      want({ code: { codeSha256: 'new=' }, configuration: { memorySize: 512 } }),
      latest,
      false,
      live
    );
    expect(result).toMatchObject({
      uploadCode: true,
      configuration: { memorySize: 512 },
      configurationNames: ['memory-size'],
      upToDate: false
    });
  });

  test('variables that cannot be read (a KMS key these credentials may not use) count as changed', () => {
    const latest = content({ version: '$LATEST', environment: undefined });
    const result = compareVersions(
      want({ configuration: { environment: { LOG_LEVEL: 'info' } } }),
      latest,
      true,
      content({ environment: undefined })
    );
    expect(result.configurationNames).toEqual(['env-vars (LOG_LEVEL)']);
    expect(result.upToDate).toBe(false);
  });
});

test('variableDifferences names added, removed and changed variables, sorted', () => {
  expect(variableDifferences({ A1: 'x', B2: 'y', C3: 'z' }, { A1: 'x', B2: 'other', D4: 'gone' })).toEqual(['B2', 'C3', 'D4']);
});
