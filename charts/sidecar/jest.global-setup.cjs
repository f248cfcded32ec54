// The pinned helm that the specs render the chart with.
module.exports = require('../../tools/toolchain/jest-setup.cjs').installBeforeTests([
  'tools/toolchain/install.sh',
  'helm',
]);
