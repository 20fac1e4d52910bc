// ESLint: type-aware typescript-eslint rules over the whole tree, plus the project's own rule that
// libs and apps meet only through @app/<lib>. Formatting is Prettier's job (eslint-config-prettier
// turns off the rules that would fight it); unused exports and files are knip's (`npm run lint`).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import { noCrossModuleRelativeImport } from './tools/eslint/no-cross-module-relative-import.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-*/**', 'node_modules/**', 'coverage/**', 'bench/results/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { switchyard: { rules: { 'no-cross-module-relative-import': noCrossModuleRelativeImport } } },
    rules: {
      'switchyard/no-cross-module-relative-import': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `import('x').T` annotations type the lazily required modules below without loading them.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // Modules required only when the configuration uses them (README, Performance → Memory):
      // BullMQ/ioredis with REDIS_URL, yaml with SWITCHYARD_CONFIG, the AWS SDK parts with Bedrock,
      // the OpenTelemetry SDK with OTEL_EXPORTER_OTLP_ENDPOINT.
      '@typescript-eslint/no-require-imports': [
        'error',
        { allow: ['^bullmq$', '^ioredis$', '^yaml$', '^@smithy/', '^@aws-crypto/', '^@opentelemetry/', '/bullmq-binding$', '/otel-tracer$'] },
      ],
    },
  },
  {
    // Provider wire JSON: adapters and translators read provider payloads field by field and check
    // each value at run time; typing every provider's schema would add thousands of lines that
    // would drift from the providers' own references. `any` stays out of the rest of the code.
    files: [
      'libs/providers/src/adapters/**',
      'libs/responses/src/translate/**',
      'libs/messages/src/translate/**',
      'apps/gateway/src/messages/translate/**',
      'apps/gateway/src/response-cache/chat-reshape.ts',
    ],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Tests and fakes poke at loosely typed wire data on purpose, and fakes implement async
    // interfaces with bodies that need no await.
    files: ['test/**', '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
  prettier,
);
