import { parseArgs } from "node:util";
import { isAddress } from "ethers";
import { consoleLogger } from "#common";
import { connectChain, DEFAULT_ADMIN_DELAY_SECONDS, deployContracts } from "#ledger";

const USAGE = `Deploys TraceLedger and OffsetRegistry to the chain at RPC_URL, paying with the key CHAIN_PRIVATE_KEY, and
prints the addresses to put in the service's environment.

Usage: RPC_URL=… CHAIN_PRIVATE_KEY=0x… npm run deploy -- --admin 0xADMIN [--operator 0xSERVICE] [--admin-delay SECONDS]

  --admin 0x…          holder of DEFAULT_ADMIN_ROLE (a multisig or a cold key; required, never the service account):
                       appoints registrars and anchorers, registers new supply-chain roles, hands itself over in two
                       steps (beginDefaultAdminTransfer, then acceptDefaultAdminTransfer after the delay)
  --operator 0x…       the service account: REGISTRAR_ROLE and ANCHORER_ROLE on TraceLedger, RETIRER_ROLE on
                       OffsetRegistry (default: the account of CHAIN_PRIVATE_KEY)
  --admin-delay s      seconds an admin hand-over waits before it can be accepted (default ${String(DEFAULT_ADMIN_DELAY_SECONDS)})
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      admin: { type: "string" },
      operator: { type: "string" },
      "admin-delay": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const rpcUrl = process.env.RPC_URL;
  const key = process.env.CHAIN_PRIVATE_KEY;
  const delay = values["admin-delay"] === undefined ? DEFAULT_ADMIN_DELAY_SECONDS : Number(values["admin-delay"]);
  const valid =
    rpcUrl !== undefined &&
    key !== undefined &&
    values.admin !== undefined &&
    isAddress(values.admin) &&
    (values.operator === undefined || isAddress(values.operator)) &&
    Number.isSafeInteger(delay) &&
    delay >= 0;
  if (values.help === true || !valid || values.admin === undefined) {
    process.stderr.write(USAGE);
    process.exit(values.help === true ? 0 : 64);
  }
  const log = consoleLogger("deploy");
  const chain = await connectChain(rpcUrl, key);
  try {
    const deployed = await deployContracts(chain, log, {
      admin: values.admin,
      operator: values.operator ?? chain.wallet.address,
      adminDelaySeconds: delay,
    });
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
