// Lint: typescript-eslint's recommended rules, no `any`, and the dependency rule of DESIGN.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdkPatterns = (folder) => [
  ...(folder === 'discord' ? [] : [{ group: ['discord.js', '@discordjs/*'], message: 'discord.js lives only in src/discord/.' }]),
  ...(folder === 'telegram' ? [] : [{ group: ['grammy', '@grammyjs/*'], message: 'grammY lives only in src/telegram/.' }]),
  ...(['soop', 'simulator', 'discord'].includes(folder) ? [] : [{ group: ['ws'], message: 'ws lives only in src/soop/ (and the simulator).' }]),
  ...(folder === 'store' ? [] : [{ group: ['better-sqlite3', 'pg'], message: 'database drivers live only in src/store/.' }]),
];

const layer = (folder, forbiddenFolders) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...sdkPatterns(folder),
          ...forbiddenFolders.map((f) => ({ group: [`../${f}/*`, `../../${f}/*`], message: `src/${folder}/ must not import src/${f}/ (DESIGN.md dependency rule).` })),
          { group: ['../app.js', '../main.js', '../config.js'], message: 'only main.ts/app.ts see everything; pass config values in.' },
        ],
      },
    ],
  },
});

const all = ['core', 'i18n', 'soop', 'engine', 'store', 'route', 'commands', 'discord', 'telegram', 'simulator', 'cli', 'http', 'cluster'];
const except = (...allowed) => all.filter((f) => !allowed.includes(f));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer('core', except()),
  layer('i18n', except('core')),
  layer('soop', except('core', 'i18n')),
  layer('engine', except('core', 'i18n')),
  layer('store', except('core', 'i18n')),
  layer('simulator', except('core', 'soop', 'i18n')),
  layer('route', except('core', 'store', 'i18n')),
  layer('commands', except('core', 'store', 'route', 'i18n')),
  layer('discord', except('core', 'route', 'commands', 'i18n')),
  layer('telegram', except('core', 'route', 'commands', 'i18n')),
  layer('cli', except('core', 'soop', 'simulator', 'i18n')),
  layer('http', except('core', 'i18n')),
  layer('cluster', except('core', 'store', 'i18n')),
);
