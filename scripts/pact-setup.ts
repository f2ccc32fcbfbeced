import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CarbonTraceClient } from "#client";
import { fileKeys, runRpetScenario } from "#scenario";

const USAGE = `Prepares a running CarbonTrace service for a PACT data recipient (e.g. the PACT conformance tool):
runs the reference rPET scenario (its footprints are published by the moulder) and issues PACT client
credentials for the moulder's footprints, with the recipient host that answers to asynchronous requests go to.
Prints the credentials as JSON.

Usage: npm run pact:setup -- --url https://127.0.0.1:8443 [--callback-url URL --callback-client-id ID
       --callback-client-secret SECRET]

  --url                     the service (default http://127.0.0.1:$PORT, PORT default 3000)
  --admin-key               the administrator's key (default: $ADMIN_API_KEY, else $DATA_DIR/keys/admin-api-key)

The partners' signing keys are kept in $DATA_DIR/demo/keys (shared with npm run demo).
  --callback-url            the recipient's PACT host (its /auth/token and /3/events)
  --callback-client-id      credentials CarbonTrace uses there
  --callback-client-secret
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      "admin-key": { type: "string" },
      "callback-url": { type: "string" },
      "callback-client-id": { type: "string" },
      "callback-client-secret": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return;
  }
  const baseUrl = values.url ?? `http://127.0.0.1:${process.env.PORT ?? "3000"}`;
  const adminKey = values["admin-key"] ?? process.env.ADMIN_API_KEY ?? (await keyFromDataDir());
  const scenario = await runRpetScenario({
    baseUrl,
    adminKey,
    keys: fileKeys(join(dataDir(), "demo", "keys")),
    log: (message) => process.stderr.write(`${message}\n`),
  });
  const moulder = new CarbonTraceClient({ baseUrl, apiKey: scenario.participants.moulder.apiKey });
  const callback =
    values["callback-url"] === undefined
      ? undefined
      : {
          url: values["callback-url"],
          clientId: values["callback-client-id"] ?? "",
          clientSecret: values["callback-client-secret"] ?? "",
        };
  const client = await moulder.json<{ clientId: string; clientSecret: string }>(
    "POST",
    "/pact/clients",
    JSON.stringify({ name: "PACT recipient", ...(callback === undefined ? {} : { callback }) }),
    { "content-type": "application/json" },
  );
  process.stdout.write(
    `${JSON.stringify(
      {
        baseUrl,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        footprints: [scenario.published.boxes.id, scenario.published.regrind.id],
      },
      null,
      2,
    )}\n`,
  );
}

function dataDir(): string {
  return resolve(process.env.DATA_DIR ?? ".data");
}

async function keyFromDataDir(): Promise<string> {
  const path = join(dataDir(), "keys", "admin-api-key");
  return (await readFile(path, "utf8")).trim();
}

main().catch((error: unknown) => {
  process.stderr.write(`pact:setup failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
