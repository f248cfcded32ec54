// The workspace config, plus the browser for the static site's script.
import globals from 'globals';
import root from '../../eslint.config.mjs';

export default [
  ...root,
  { files: ['html/**/*.js'], languageOptions: { globals: globals.browser } },
];
