// ESLint flat config: typescript-eslint recommended (type-checked) plus the engine purity boundary.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/ (CONTRIBUTING.md has the picture): each folder may import only the folders
 * listed for it, so the engine stays pure and no front end imports another. A layer's own folder
 * is always allowed.
 */
const LAYERS = {
  // The pure core: the engine, its schema validator and the rules' check functions (whose
  // generated registry the engine compiles from) import one another and nothing above.
  engine: ['rules', 'schema'],
  schema: ['engine'],
  rules: ['engine', 'schema'],
  source: ['engine', 'schema'],
  policy: ['engine', 'rules', 'schema'],
  config: ['engine', 'policy', 'schema'],
  formatters: ['engine'],
  integrations: ['config', 'engine', 'policy', 'source'],
  linter: ['config', 'engine', 'policy', 'rules', 'schema', 'source'],
  // audit reads a cluster and lints it with the linter; the CLI's `audit` command prints it.
  audit: ['config', 'engine', 'linter', 'schema', 'source'],
  cli: ['audit', 'config', 'engine', 'formatters', 'integrations', 'linter', 'rules', 'schema', 'source'],
  lsp: ['config', 'engine', 'formatters', 'linter', 'rules', 'schema', 'source'],
  webhook: ['config', 'engine', 'formatters', 'linter', 'rules', 'schema', 'source'],
  program: ['cli', 'config', 'engine', 'linter', 'lsp', 'schema', 'webhook'],
};
const PURE = [
  'node:fs',
  'fs',
  'node:fs/*',
  'fs/*',
  'node:http',
  'http',
  'node:https',
  'https',
  'node:net',
  'net',
  'express',
  'commander',
];

function layers() {
  const all = Object.keys(LAYERS);
  return all.flatMap((layer) => {
    const banned = all.filter((l) => l !== layer && !LAYERS[layer].includes(l));
    const patterns = [
      {
        group: banned.flatMap((l) => [`../${l}/*`, `../../${l}/*`, `../../../${l}/*`, `../${l}.js`]),
        message: `src/${layer} may import only ${[layer, ...LAYERS[layer]].map((l) => `src/${l}`).join(', ')} (eslint.config.js LAYERS).`,
      },
    ];
    const pure = layer === 'engine' || layer === 'rules' || layer === 'formatters';
    if (pure)
      patterns.push({
        group: PURE,
        message: 'The engine, the rules and the formatters are pure: no fs, network or CLI.',
      });
    const rules = { 'no-restricted-imports': ['error', { patterns }] };
    // rules/builtin.ts reads the generated catalog (rules/index.json) from disk.
    return layer === 'rules'
      ? [
          { files: [`src/${layer}/**`], ignores: ['src/rules/builtin.ts'], rules },
          {
            files: ['src/rules/builtin.ts'],
            rules: { 'no-restricted-imports': ['error', { patterns: patterns.slice(0, 1) }] },
          },
        ]
      : [{ files: [`src/${layer}/**`], rules }];
  });
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.cache/**',
      'editors/**/node_modules/**',
      'schemas/**',
      'policies/**',
      'tools/**',
      'coverage/**',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
    },
  },
  ...layers(),
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
);
