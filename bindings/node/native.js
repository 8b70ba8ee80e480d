// Loads the prebuilt addon that rides along in the package. Only linux-x64 with glibc is
// built today; anywhere else this fails with a message that says so.
'use strict';

const { platform, arch } = process;

function isMusl() {
  const report = process.report?.getReport?.();
  return report ? !report.header?.glibcVersionRuntime : false;
}

if (platform !== 'linux' || arch !== 'x64' || isMusl()) {
  throw new Error(
    `highlevel ships a native addon for linux-x64 (glibc) only; this is ${platform}-${arch}`,
  );
}

module.exports = require('./highlevel.linux-x64-gnu.node');
