import { readFile } from "node:fs/promises";
import { Wallet } from "ethers";
import { CliError } from "./io.js";

/**
 * The partner's signing key, from a key file (`--key-file`, or CARBONTRACE_SIGNING_KEY_FILE) or from
 * CARBONTRACE_SIGNING_KEY. Never from a command-line value: those show in process lists and shell history.
 */
export async function signingKey(keyFile: string | undefined): Promise<Wallet | undefined> {
  const path = keyFile ?? process.env.CARBONTRACE_SIGNING_KEY_FILE;
  const raw = path !== undefined ? (await readFile(path, "utf8")).trim() : process.env.CARBONTRACE_SIGNING_KEY?.trim();
  if (raw === undefined || raw === "") return undefined;
  const hex = raw.startsWith("0x") ? raw : `0x${raw}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) {
    throw new CliError(`${path ?? "CARBONTRACE_SIGNING_KEY"} does not hold a 32-byte hex private key`);
  }
  return new Wallet(hex);
}
