// Lint rules for the whole repository, including the layer rules of
// docs/architecture.md ("Layers and folders"): a layer violation fails `npm test`.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import lit from 'eslint-plugin-lit'
import wc from 'eslint-plugin-wc'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** Imports a layer must never make, as `no-restricted-imports` patterns. */
const layer = (...patterns) => ['error', { patterns }]

const serverCode = {
  group: ['**/server/**'],
  message: 'Client code never imports the server (docs/architecture.md, "Layers and folders").',
}
const clientCode = {
  group: ['**/services/**', '**/components/**', '**/demo/**'],
  message: 'The server never imports client code (docs/architecture.md, "Layers and folders").',
}
const litCode = {
  group: ['lit', 'lit/**', '@lit/**', '@lit-labs/**', '**/components/**'],
  message: 'Services are framework-agnostic: they never import Lit or components.',
}
const contractsEntry = {
  // What only the kit's signed-in half uses is imported from its own module: through the index it would
  // be in a signed-out page's first load (docs/architecture.md, "Where bundle.signedOut stands").
  group: [
    '**/contracts/*',
    '!**/contracts/index.ts',
    '!**/contracts/lru-cache.ts',
    '!**/contracts/realtime.ts',
    '!**/contracts/compare-by-fields.ts',
  ],
  message:
    'Client code imports shared shapes from contracts/index.ts only (the declarations bring zod); LruCache, the realtime topics and compareByFields from their own modules.',
}
const servicesEntry = {
  group: ['**/services/**', '!**/services/index.ts'],
  message: 'Components reach the services only through services/index.ts.',
}
const serverPackages = {
  group: ['rethinkdb', 'jsonwebtoken', 'zod', 'zod/**', '@deepstream/server', 'node:*'],
  message: 'Browser code never imports server-side packages.',
}

export default tseslint.config(
  { ignores: ['dist/**', 'cdk.out/**', 'node_modules/**', 'coverage/**', 'scratch/**', 'tmp/**', '.rtkit/**', 'stubs/**', '**/*.d.mts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // \`interface DocumentEventMap extends RtChatEventMap {}\` is how a tag adds its events to the DOM's
      // global event maps (declaration merging); other empty interfaces stay errors.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      'no-console': 'off',
    },
  },
  {
    files: ['components/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['components/**/*.ts'],
    ...wc.configs['flat/recommended'],
  },
  // Tests read JSON bodies and IPC messages whose shape each assertion checks
  // anyway, and chai's property assertions (`expect(x).to.exist`) are expressions.
  {
    files: ['**/*.test.ts', '**/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
  // Layer rules, for everything that ships (tests may reach across to start a real server).
  {
    files: ['contracts/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': layer(serverCode, { ...clientCode, message: 'Contracts are shared: they import nothing of a layer.' }),
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': layer(clientCode) },
  },
  {
    files: ['services/**/*.ts'],
    ignores: ['**/*.test.ts', 'services/testing/**', 'services/examples/**'],
    rules: { 'no-restricted-imports': layer(serverCode, litCode, contractsEntry, serverPackages) },
  },
  {
    files: ['components/**/*.ts'],
    ignores: ['**/*.test.ts', 'components/testing/**'],
    rules: { 'no-restricted-imports': layer(serverCode, servicesEntry, contractsEntry, serverPackages) },
  },
  prettier,
)
