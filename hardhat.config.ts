import { createRequire } from "node:module";
import hardhatEthers from "@nomicfoundation/hardhat-ethers";
import hardhatEthersChaiMatchers from "@nomicfoundation/hardhat-ethers-chai-matchers";
import hardhatMocha from "@nomicfoundation/hardhat-mocha";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatTypechain from "@nomicfoundation/hardhat-typechain";
import { defineConfig } from "hardhat/config";

// Compile with the solc-js build from npm so that no compiler is ever downloaded. Hardhat does not check
// that `version` matches the binary at `path`, so both are derived from the installed package.
const require = createRequire(import.meta.url);
const SOLC_VERSION: string = (require("solc/package.json") as { version: string }).version;
const SOLCJS_PATH: string = require.resolve("solc/soljson.js");

export default defineConfig({
  plugins: [hardhatEthers, hardhatEthersChaiMatchers, hardhatMocha, hardhatNetworkHelpers, hardhatTypechain],
  solidity: {
    profiles: {
      default: {
        version: SOLC_VERSION,
        path: SOLCJS_PATH,
        settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 200 } },
      },
      production: {
        version: SOLC_VERSION,
        path: SOLCJS_PATH,
        settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 200 } },
      },
    },
  },
  typechain: { outDir: "libs/ledger/src/generated" },
  paths: {
    sources: "contracts",
    tests: { mocha: "test/contracts" },
  },
});
