/**
 * Test suites install what they run, first thing (jest globalSetup), so their Nx targets depend
 * on no set-up task: a result replayed from the Nx cache then needs nothing installed, and the
 * first run on a fresh clone installs the pinned tools once. Every step is an idempotent script of
 * this repository (tools/toolchain/install.sh, ensure-nginx.sh, ...): about a second when all is
 * in place.
 *
 * In a project's jest config:  globalSetup: '<rootDir>/jest.global-setup.cjs'
 * and in that file:
 *   module.exports = require('../../tools/toolchain/jest-setup.cjs').installBeforeTests(
 *     ['tools/toolchain/install.sh', 'helm', 'ct'],
 *   );
 */
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

const workspaceRoot = join(__dirname, '../..');

/** Runs each step (a script relative to the workspace root, then its arguments) in order. */
function runSetupSteps(...steps) {
  for (const [script, ...args] of steps) {
    execFileSync('bash', [join(workspaceRoot, script), ...args], { stdio: 'inherit' });
  }
}

/** A jest globalSetup function that runs the steps before any test file. */
function installBeforeTests(...steps) {
  return () => runSetupSteps(...steps);
}

module.exports = { installBeforeTests, runSetupSteps };
