// Lint: typescript-eslint's recommended rules, prettier for layout, and the folders' boundaries.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** `no-restricted-imports` patterns forbidding imports of these sibling folders of src/. */
const forbid = (folders, why) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: folders.map((folder) => `../${folder}/*`), message: why }] }]
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-control-regex': 'off', // control characters are matched on purpose, to neutralise them
      eqeqeq: ['error', 'always']
    }
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*'], message: 'core imports nothing from the project: every folder may import it.' }] }
      ]
    }
  },
  {
    files: ['src/code/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*', '!../core'], message: 'code packaging sits low: it imports only core.' }] }
      ]
    }
  },
  {
    files: ['src/plan/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*', '!../core'], message: 'planning is pure: it imports only core.' }] }
      ]
    }
  },
  {
    files: ['src/rollout/**'],
    rules: forbid(
      ['engines', 'github', 'report', 'action'],
      'the spine knows no engine (it talks to the Engine port), nor GitHub, reports or the runner.'
    )
  },
  {
    files: ['src/operations/**'],
    rules: forbid(
      ['github', 'report', 'action'],
      'the operations on a hold decide and act; GitHub, the reports and the runner are the action shell’s.'
    )
  },
  {
    files: ['src/release/**', 'src/alias/**'],
    rules: forbid(
      ['rollout', 'engines', 'github', 'report', 'action'],
      'releasing a version and restoring an alias sit below the spine and every engine.'
    )
  },
  ...['runner', 'codedeploy'].map((engine, _index, engines) => ({
    files: [`src/engines/${engine}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...engines.filter((other) => other !== engine).map((other) => `**/${other}/*`), '../index.js'],
              message: 'an engine imports nothing of another engine, nor the engines’ front door.'
            },
            {
              group: ['**/github/*', '**/report/*', '**/action/*'],
              message: 'an engine knows nothing of GitHub, reports or the runner.'
            }
          ]
        }
      ]
    }
  })),
  {
    files: ['src/aws/**', 'src/strategy/**'],
    rules: forbid(
      ['config', 'hooks', 'checks', 'plan', 'alias', 'release', 'rollout', 'engines', 'report', 'github', 'action'],
      'adapters and parsers sit low: they import only core.'
    )
  },
  {
    files: ['emulator/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/src/*', '**/src/**'], message: 'the emulator is independent of the action it tests.' }] }
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      // The control methods of Emulator and EmulatorClient are installed from one table and typed
      // by an interface of the same name: declaration merging on purpose.
      '@typescript-eslint/no-unsafe-declaration-merging': 'off',
      '@typescript-eslint/no-empty-object-type': 'off'
    }
  },
  {
    files: ['__tests__/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' }
  }
);
