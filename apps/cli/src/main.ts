import { Command, Option } from "commander";
import { ApiError } from "#client";
import { isDomainError } from "#common";
import { attest } from "./attest.js";
import { capture, evidence, hash, keygen, sign } from "./commands.js";
import { verify } from "./verify.js";
import { CliError } from "./io.js";
import { ownVersion } from "./version.js";

const program = new Command()
  .name("carbontrace")
  .description("CarbonTrace for partners and certifiers: hash, sign and capture EPCIS events, store evidence.")
  .version(ownVersion())
  .showHelpAfterError();

/** --api, else CARBONTRACE_API_URL, else CARBONTRACE_API (the short name), else the local default. */
const api = (): Option =>
  new Option("--api <url>", "API base URL (or CARBONTRACE_API)")
    .env("CARBONTRACE_API_URL")
    .default(process.env.CARBONTRACE_API ?? "http://127.0.0.1:3000");
const apiKey = (): Option => new Option("--api-key <key>", "your API key (ctk_…)").env("CARBONTRACE_API_KEY");
const keyFile = (): Option =>
  new Option("--key-file <path>", "file holding your signing key (or CARBONTRACE_SIGNING_KEY / _FILE)");

program
  .command("hash")
  .description("print the CBV 2.0 event hash of each event in an EPCIS document, one per line, in order")
  .argument("<file>", "EPCIS document (JSON-LD or XML), or - for standard input")
  .option("--explain", "after each hash, print the pre-hash string it is the SHA-256 of (to compare with another tool)")
  .action(hash);

program
  .command("sign")
  .description("sign every event of an EPCIS document (EIP-712 over its event hash); writes the signed document")
  .argument("<file>", "EPCIS document (JSON-LD or XML), or -")
  .addOption(keyFile())
  .addOption(api())
  .option("--chain-id <id>", "sign offline for this chain id (with --ledger) instead of asking the API")
  .option("--ledger <address>", "TraceLedger address for offline signing")
  .option("-o, --output <file>", "write here instead of standard output")
  .action(sign);

program
  .command("capture")
  .description("sign (if you hold a key) and post an EPCIS document; prints what was stored")
  .argument("<file>", "EPCIS document, or -")
  .addOption(api())
  .addOption(apiKey())
  .addOption(keyFile())
  .option("--json", "print the capture job as JSON")
  .action(capture);

program
  .command("evidence")
  .description("store an evidence file (photo, delivery note, meter reading) in IPFS; prints its CID")
  .argument("<file>", "the file, or -")
  .addOption(api())
  .addOption(apiKey())
  .option("--type <media-type>", "media type, if the file extension does not tell")
  .option("--json", "print size, type and SHA-256 as JSON too")
  .action(evidence);

program
  .command("keygen")
  .description("create a signing key file (mode 0600) and print its address, for registration")
  .argument("<file>", "where to write the key")
  .action(keygen);

program
  .command("verify")
  .description(
    "verify a proof bundle: hashes, signatures, roles, Merkle proofs, anchors, evidence, lot graph, attestations",
  )
  .argument("<bundle>", "bundle file, - for standard input, or its URL (…/lots/{gtin}/{lot}/bundle)")
  .option("--rpc <url>", "JSON-RPC URL of the chain, for the on-chain checks (without it they are not done)")
  .option("--ipfs <url>", "Kubo RPC API URL to read evidence from (default: the bundle's evidence links)")
  .option("--evidence <template>", "evidence URL template with {cid}, e.g. an IPFS gateway https://gw/ipfs/{cid}")
  .option("--json", "print the report as JSON")
  .action(verify);

program
  .command("attest")
  .description(
    "as a certifier: verify a bundle, store your report, sign your verdict and have it recorded on the ledger",
  )
  .argument("<bundle>", "bundle file, or its URL")
  .requiredOption("--verdict <verdict>", "verified, verified_with_qualifications or rejected")
  .requiredOption("--report <file>", "your verification report (PDF or text)")
  .option("--footprint <file>", "JSON of the footprint result you confirm")
  .option("--rpc <url>", "JSON-RPC URL of the chain, to verify on-chain facts before attesting")
  .addOption(api())
  .addOption(apiKey())
  .addOption(keyFile())
  .action(attest);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`carbontrace: ${error.message}\n`);
  } else if (isDomainError(error)) {
    // The service's answer names no URL: say which request got it, so that a wrong --api is easy to see.
    const request =
      error instanceof ApiError && error.request !== ""
        ? ` (${error.request} answered HTTP ${String(error.status)})`
        : "";
    process.stderr.write(`carbontrace: ${error.code}: ${error.message}${request}\n`);
    if (error.code === "CAPTURE.SCHEMA_INVALID" || error.code === "CAPTURE.EXTENSION_INVALID") {
      process.stderr.write(`${JSON.stringify(error.details.errors ?? [], null, 2)}\n`);
    }
  } else {
    process.stderr.write(`carbontrace: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exitCode = 1;
}
