// One linter for the monorepo. Module boundaries are enforced here: libraries are imported
// only through their public index (`@rampart/<lib>`), and pure `domain/` code stays free of
// frameworks and I/O.
import js from '@eslint/js';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

const THROUGH_INDEX = [
  { group: ['@rampart/*/*'], message: 'Import a library through its public index: @rampart/<lib>.' },
  {
    group: ['**/libs/*/src/**', '../../libs/**', '../../../libs/**'],
    message: 'Import a library through its public index: @rampart/<lib>.',
  },
];

const PURE_DOMAIN = {
  group: [
    '@nestjs/*',
    'typeorm',
    'kafkajs',
    'axios',
    'pg',
    'express',
    '@rampart/database',
    '@rampart/messaging',
  ],
  message: 'domain/ holds pure types and rules: no framework, no I/O.',
};

// Which libraries each library may use: the dependency graph points one way (no cycles), and
// production code never reaches the vendor fakes.
const LIBRARY_DEPENDENCIES = {
  alerts: ['auth', 'database', 'network', 'text', 'web'],
  audit: ['config', 'database', 'web'],
  auth: ['audit', 'config', 'database', 'secrets', 'templates', 'web'],
  config: ['egress'],
  console: [
    'alerts',
    'audit',
    'auth',
    'connectors',
    'containment',
    'incidents',
    'playbooks',
    'reports',
    'templates',
    'web',
  ],
  connectors: [
    'audit',
    'auth',
    'config',
    'database',
    'diagnostics',
    'egress',
    'metrics',
    'network',
    'resilience',
    'secrets',
    'templates',
    'web',
  ],
  containment: [
    'audit',
    'auth',
    'config',
    'connectors',
    'database',
    'diagnostics',
    'metrics',
    'network',
    'web',
  ],
  correlation: ['alerts', 'audit', 'config', 'database', 'diagnostics', 'incidents', 'text'],
  database: ['text'],
  diagnostics: [],
  egress: ['network'],
  incidents: ['alerts', 'audit', 'auth', 'database', 'web'],
  intake: [
    'alerts',
    'audit',
    'auth',
    'config',
    'correlation',
    'database',
    'messaging',
    'metrics',
    'secrets',
    'web',
  ],
  messaging: ['config', 'resilience'],
  metrics: [],
  network: [],
  playbooks: [
    'alerts',
    'audit',
    'auth',
    'config',
    'connectors',
    'containment',
    'database',
    'diagnostics',
    'incidents',
    'metrics',
    'resilience',
    'templates',
    'web',
  ],
  reports: ['audit', 'auth', 'config', 'database', 'templates', 'web'],
  resilience: [],
  secrets: [],
  templates: [],
  text: [],
  'vendor-fakes': ['connectors', 'egress'],
  web: ['text'],
};

// One writer per table: SQL that writes the incident tables lives in libs/incidents only.
const INCIDENT_TABLE_WRITE = String.raw`/\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+incident(_[a-z_]+)?\b/i`;
const INCIDENT_WRITES_ELSEWHERE = [
  'error',
  ...['Literal', 'TemplateElement'].map((node) => ({
    selector: `${node}[value${node === 'TemplateElement' ? '.raw' : ''}=${INCIDENT_TABLE_WRITE}]`,
    message:
      'Only libs/incidents writes the incident tables: go through IncidentWriter (@rampart/incidents).',
  })),
];

function forbiddenLibraries(library) {
  const allowed = new Set([library, ...LIBRARY_DEPENDENCIES[library]]);
  const forbidden = Object.keys(LIBRARY_DEPENDENCIES).filter((other) => !allowed.has(other));
  return forbidden.length === 0
    ? []
    : [
        {
          group: forbidden.map((other) => `@rampart/${other}`),
          message: `libs/${library} may use only: ${[...allowed].filter((name) => name !== library).join(', ') || 'no other library'} (eslint.config.mjs LIBRARY_DEPENDENCIES).`,
        },
      ];
}

const restrict = (patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.cache/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-restricted-imports': restrict(THROUGH_INDEX),
    },
  },
  ...Object.keys(LIBRARY_DEPENDENCIES).flatMap((library) => [
    {
      files: [`libs/${library}/src/**/*.ts`],
      ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
      rules: { 'no-restricted-imports': restrict([...THROUGH_INDEX, ...forbiddenLibraries(library)]) },
    },
    {
      files: [`libs/${library}/src/domain/**/*.ts`],
      ignores: ['**/*.spec.ts'],
      rules: {
        'no-restricted-imports': restrict([...THROUGH_INDEX, ...forbiddenLibraries(library), PURE_DOMAIN]),
      },
    },
  ]),
  {
    files: ['libs/*/src/**/*.ts', 'apps/**/*.ts'],
    // Migrations own the schema and may backfill any table.
    ignores: ['libs/incidents/**', 'libs/database/src/migrations/**', '**/*.spec.ts', '**/*.int-spec.ts'],
    rules: { 'no-restricted-syntax': INCIDENT_WRITES_ELSEWHERE },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts'],
    plugins: { jest },
    rules: {
      'jest/no-focused-tests': 'error',
      'jest/valid-expect': ['error', { alwaysAwait: true }],
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*'] }],
      'jest/no-disabled-tests': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The console's one browser script (served as is, no build step).
    files: ['libs/console/static/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        sessionStorage: 'readonly',
        EventSource: 'readonly',
        htmx: 'readonly',
        JSON: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
);
