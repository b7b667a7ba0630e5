import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'media/dist/**', 'node_modules/**', 'test/fixtures/**', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Build, harness and end-to-end scripts run in Node.
    files: ['**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Functions passed to page.evaluate() run inside the workbench page.
    files: ['scripts/real-vscode/**/*.mjs', 'test/vscode/e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // The engine runs in the worker, the CLI and plain unit tests: never the vscode API.
    files: ['src/engine/**/*.ts', 'src/worker/**/*.ts', 'src/cli/**/*.ts', 'src/protocol/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The engine must stay free of vscode imports.' }] }] },
  },
);
