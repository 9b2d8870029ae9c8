// Two tiers: `unit` (pure cores, next to the code) and `integration` (real PostgreSQL and Kafka,
// started once by test/setup/global-setup.ts). `npm test` runs both.
'use strict';

const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }],
};
const moduleNameMapper = { '^@rampart/(.*)$': '<rootDir>/libs/$1/src/index.ts' };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/libs', '<rootDir>/apps'],
      testMatch: ['**/*.spec.ts'],
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test', '<rootDir>/libs', '<rootDir>/apps'],
      testMatch: ['**/*.int-spec.ts'],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      // testTimeout is global-only in Jest; integration files set theirs here.
      setupFilesAfterEnv: ['<rootDir>/test/setup/integration-timeout.ts'],
    },
  ],
};
