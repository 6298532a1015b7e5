// Lint: typescript-eslint's recommended rules, plus the layering of the architecture
// (../shared/design/architecture.md): contracts/ imports nothing of ours, gateway/ imports
// contracts/ only, adapters/ import both; nothing imports test/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, forbidden) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      patterns: forbidden.map((dir) => ({ group: [`**/${dir}`, `**/${dir}/**`], message: `${files[0].split('/')[0]}/ may not import ${dir}/ (architecture.md, "Where things live")` })),
    }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  layer(['contracts/**/*.ts'], ['gateway', 'adapters', 'migrations', 'test']),
  layer(['gateway/**/*.ts'], ['adapters', 'test']),
  layer(['adapters/**/*.ts'], ['test']),
);
