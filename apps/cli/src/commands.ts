import { chmod, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { Wallet } from "ethers";
import { CarbonTraceClient } from "#client";
import { eventHashesOfDocument, preHashesOfDocument } from "#epcis";
import { signDocument, signingDomain, signXmlDocument, type SigningDomain } from "#proof";
import { CliError, readEpcis, readInput, writeOutput } from "./io.js";
import { signingKey } from "./signing-key.js";

export interface ApiOptions {
  readonly api: string;
  readonly apiKey?: string;
}

export function client(options: ApiOptions): CarbonTraceClient {
  return new CarbonTraceClient({
    baseUrl: options.api,
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
  });
}

/**
 * `carbontrace hash <file>`: the CBV 2.0 event hash of each event (JSON-LD or XML), one per line, in document order.
 * With `--explain`, each hash is followed by the pre-hash string it is the SHA-256 of, so that a partner whose own
 * tool hashes differently can see which field is written differently (docs/event-hash.md).
 */
export async function hash(file: string, options: { explain?: boolean } = {}): Promise<void> {
  const { document } = await readEpcis(file);
  const hashes = eventHashesOfDocument(document);
  if (options.explain !== true) {
    await writeOutput(undefined, hashes.join("\n"));
    return;
  }
  const preHashes = preHashesOfDocument(document);
  const lines = hashes.flatMap((eventHash, index) => [
    `# event ${String(index)}`,
    eventHash,
    preHashes[index] ?? "",
    "",
  ]);
  await writeOutput(undefined, lines.join("\n"));
}

/**
 * `carbontrace sign <file>`: adds ct:signatures for every event, signed with the partner's key; an XML document
 * stays XML (the signatures follow EPCISBody).
 */
export async function sign(
  file: string,
  options: ApiOptions & { keyFile?: string; chainId?: string; ledger?: string; output?: string },
): Promise<void> {
  const wallet = await signingKey(options.keyFile);
  if (wallet === undefined) throw new CliError("no signing key: pass --key-file or set CARBONTRACE_SIGNING_KEY(_FILE)");
  const input = await readEpcis(file);
  const domain = await domainOf(options);
  const signed =
    input.binding === "xml"
      ? await signXmlDocument(input.xml, wallet, domain)
      : JSON.stringify(await signDocument(input.document, wallet, domain), null, 2);
  await writeOutput(options.output, signed);
}

/**
 * `carbontrace capture <file>`: signs the document when a key is available (self custody), then posts it, as
 * JSON-LD or as XML like the file. Without a key it is posted as it is: already signed, or for a custodial
 * participant the service signs.
 */
export async function capture(file: string, options: ApiOptions & { keyFile?: string; json?: boolean }): Promise<void> {
  const api = client(options);
  const input = await readEpcis(file);
  const wallet = await signingKey(options.keyFile);
  const domain = wallet === undefined ? undefined : await api.signingDomain();
  let job;
  if (input.binding === "xml") {
    const xml =
      wallet === undefined || domain === undefined ? input.xml : await signXmlDocument(input.xml, wallet, domain);
    job = await api.captureXml(xml);
  } else {
    const document =
      wallet === undefined || domain === undefined
        ? input.document
        : await signDocument(input.document, wallet, domain);
    job = await api.capture(document);
  }
  if (options.json === true) {
    await writeOutput(undefined, JSON.stringify(job));
    return;
  }
  const lines = [
    `capture ${job.captureID}: ${job.createdCount} of ${job.eventCount} event(s) stored`,
    ...job.events.map((event) => `  ${event.outcome.padEnd(9)} ${event.eventHash}`),
  ];
  await writeOutput(undefined, lines.join("\n"));
}

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".webp": "image/webp",
  ".pdf": "application/pdf",
  ".txt": "text/plain",
  ".csv": "text/csv",
  ".json": "application/json",
  ".xml": "application/xml",
};

/** `carbontrace evidence <file>`: stores an evidence file in IPFS through the API and prints its CID. */
export async function evidence(file: string, options: ApiOptions & { type?: string; json?: boolean }): Promise<void> {
  const mediaType = options.type ?? MEDIA_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
  const upload = await client(options).uploadEvidence(
    await readInput(file),
    mediaType,
    file.split("/").at(-1) ?? "evidence",
  );
  await writeOutput(undefined, options.json === true ? JSON.stringify(upload) : upload.cid);
}

/** `carbontrace keygen <file>`: a new signing key in a file only its owner can read; prints the address. */
export async function keygen(file: string): Promise<void> {
  const wallet = Wallet.createRandom();
  await writeFile(file, `${wallet.privateKey}\n`, { mode: 0o600, flag: "wx" }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new CliError(`${file} exists; not overwriting a key`);
    throw error;
  });
  await chmod(file, 0o600);
  await writeOutput(undefined, wallet.address);
}

async function domainOf(options: ApiOptions & { chainId?: string; ledger?: string }): Promise<SigningDomain> {
  if (options.chainId !== undefined || options.ledger !== undefined) {
    if (options.chainId === undefined || options.ledger === undefined) {
      throw new CliError("--chain-id and --ledger go together (or neither, to ask the API)");
    }
    return signingDomain(options.chainId, options.ledger);
  }
  return client(options).signingDomain();
}
