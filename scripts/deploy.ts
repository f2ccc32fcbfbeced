import { parseArgs } from "node:util";
import { consoleLogger } from "#common";
import { connectChain, deployContracts } from "#ledger";

const USAGE = `Deploys TraceLedger and OffsetRegistry to the chain at RPC_URL with the key CHAIN_PRIVATE_KEY, grants that
account ANCHORER_ROLE and RETIRER_ROLE, and prints the addresses to put in the service's environment.

Usage: RPC_URL=… CHAIN_PRIVATE_KEY=0x… npm run deploy [-- --admin 0xADMIN]

  --admin 0x…   hand DEFAULT_ADMIN_ROLE to this account (e.g. a multisig); the deployer renounces it
`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { admin: { type: "string" }, help: { type: "boolean", short: "h" } } });
  const rpcUrl = process.env.RPC_URL;
  const key = process.env.CHAIN_PRIVATE_KEY;
  if (values.help === true || rpcUrl === undefined || key === undefined) {
    process.stderr.write(USAGE);
    process.exit(values.help === true ? 0 : 64);
  }
  const log = consoleLogger("deploy");
  const chain = await connectChain(rpcUrl, key);
  try {
    const deployed = await deployContracts(chain, log, values.admin === undefined ? {} : { admin: values.admin });
    const address = (name: string): string => deployed.find((d) => d.name === name)?.address ?? "";
    process.stdout.write(
      `# chain ${chain.chainId.toString()}\nTRACE_LEDGER_ADDRESS=${address("TraceLedger")}\n` +
        `OFFSET_REGISTRY_ADDRESS=${address("OffsetRegistry")}\n`,
    );
  } finally {
    await chain.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`deploy failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
