// The pinned helm that renders the renamed chart (the copy's own tasks install what they run).
module.exports = require('../../tools/toolchain/jest-setup.cjs').installBeforeTests([
  'tools/toolchain/install.sh',
  'helm',
]);
