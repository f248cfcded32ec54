// The pinned helm that renders the chart's Pod.
module.exports = require('../../tools/toolchain/jest-setup.cjs').installBeforeTests([
  'tools/toolchain/install.sh',
  'helm',
]);
