// ESLint flat config. Besides the usual TypeScript checks (type-aware, through the TypeScript
// project service), it encodes the architecture so that a layering mistake fails `npm test`:
//
//   handlers → usecases → domain        adapters (jira/, platform/, storage/) implement the ports
//   composition wires the adapters       declared by the inner layers; only they import @forge/*
//   static/admin (the page) → src/contracts only; src/ never imports sandbox/, test/ or bench/.
//
// test/unit/lint-architecture.test.ts proves that these rules bite.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Server-side Forge packages: only the adapters (and handlers, for a resolver or queue consumer) may use them. */
const FORGE_PACKAGES = {
  group: ['@forge/*'],
  message: 'Only adapters (src/jira, src/platform, src/storage) import @forge/*; declare a port and inject it.',
};

const SRC_ADAPTERS = ['./src/jira', './src/platform', './src/storage'];
const OUTSIDE_SRC = ['./sandbox', './test', './bench', './static'];

/** import-x/no-restricted-paths zones: `target` files may not import anything under `from`. */
const LAYER_ZONES = [
  {
    target: './src',
    from: OUTSIDE_SRC,
    message: 'src/ is the app Forge deploys: it never imports the sandbox, tests, benchmarks or the page.',
  },
  {
    target: './src/domain',
    from: [
      ...SRC_ADAPTERS,
      './src/handlers',
      './src/usecases',
      './src/contracts',
      './src/composition.ts',
      './src/index.ts',
    ],
    message: 'src/domain is pure: no adapters, use cases, handlers or wiring.',
  },
  {
    target: './src/usecases',
    from: [...SRC_ADAPTERS, './src/handlers', './src/composition.ts', './src/index.ts'],
    message: 'Use cases depend on ports (interfaces they declare), not on adapters, handlers or the wiring.',
  },
  {
    target: './src/contracts',
    from: [...SRC_ADAPTERS, './src/handlers', './src/usecases', './src/composition.ts', './src/index.ts'],
    message: 'src/contracts is shared with the admin page: schemas and types only.',
  },
  {
    target: './src/handlers',
    from: SRC_ADAPTERS,
    message: 'Handlers take their adapters from src/composition.ts.',
  },
  {
    target: SRC_ADAPTERS,
    from: ['./src/handlers', './src/composition.ts', './src/index.ts'],
    message: 'Adapters implement ports; they do not call handlers or the wiring.',
  },
  {
    target: './static/admin/src',
    from: './src',
    except: ['./contracts'],
    message: 'The admin page imports only src/contracts from the server code.',
  },
  {
    target: './static/admin/src',
    from: ['./sandbox', './test', './bench'],
    message: 'The admin page imports only its own files, src/contracts and npm packages.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'static/admin/build/',
      'static/admin/build.staging-*/',
      'coverage/',
      '.sandbox-data/',
      'bench/results/',
      'docs/',
      'test/fixtures/probe-app/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      // import-x reads TypeScript files (needed by no-cycle, which follows imports through them).
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // An async function that implements an async port may have nothing to await (a fake, a cache hit);
      // `async` still turns its throws into rejections, which is what callers expect.
      '@typescript-eslint/require-await': 'off',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: LAYER_ZONES }],
      'max-len': [
        'error',
        {
          code: 120,
          tabWidth: 2,
          // A line holding a URL may run long (a URL cannot be split); template strings and comments cannot.
          ignoreUrls: true,
        },
      ],
    },
  },
  {
    files: ['src/domain/**', 'src/usecases/**', 'src/contracts/**', 'src/composition.ts', 'src/index.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [FORGE_PACKAGES] }] },
  },
  {
    files: ['static/admin/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@forge/*', '!@forge/bridge'],
              message: 'The page runs in the browser: of the Forge packages it may use @forge/bridge only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON bodies and KVS values they have just written and assert on them with expect(),
    // which is the type check there; typing every probe would add noise, not safety.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain JavaScript (configs, jest's reporter, the lint probe) runs in Node.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
