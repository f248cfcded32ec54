// The pinned kind CLI that the specs run.
module.exports = require('../../tools/toolchain/jest-setup.cjs').installBeforeTests([
  'tools/toolchain/install.sh',
  'kind',
]);
