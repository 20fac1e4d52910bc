// Nest 12 ships ESM-only packages; @swc/jest compiles both our TypeScript and those packages to
// CommonJS (see docs: toolchain notes). Type-checking happens once in `npm run typecheck`.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const shared = {
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  // @llamaindex/* ship ESM-only files, and .cjs builds that load openai with a dynamic import(), which Jest's CommonJS
  // runtime cannot run untransformed (test/clients/llamaindex.e2e-spec.ts).
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|uid|load-esm|file-type|@llamaindex)/)'],
  moduleNameMapper: { '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
};

module.exports = {
  // A suite whose beforeAll timed out never gets the handle to close what it started (a gateway, a
  // fake upstream): the run must still end with its verdict instead of holding CI until its own
  // timeout. Jest still prints that it had to force the exit, so leaks stay visible.
  forceExit: true,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,migrations}/**/*.spec.ts'],
      testPathIgnorePatterns: ['\\.integration\\.spec\\.ts$'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,migrations,test}/**/*.integration.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/boot-timeout.setup.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/boot-timeout.setup.ts'],
    },
  ],
};
