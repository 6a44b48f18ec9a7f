/** Jest runs the TypeScript sources as ESM (the @actions toolkit is ESM-only). */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  clearMocks: true,
  // A limit for a test that hangs, not a speed check: CI is a busy 2-core machine, where a test making
  // a few hundred HTTP calls to the emulator can take several times jest's default of 5 s.
  testTimeout: 30_000
};
