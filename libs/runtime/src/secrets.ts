import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Logger } from "#common";
import type { Config } from "#config";
import { readOrCreateSecret } from "./embedded/secrets.js";

export interface ServiceSecrets {
  /** Bearer token of the administrator. */
  readonly adminApiKey: string;
  /** Where a generated admin key is kept (undefined when configured). */
  readonly adminApiKeyFile: string | undefined;
  /** 32 bytes sealing custodial signing keys. */
  readonly custodyMasterKey: Buffer;
}

/** Configured secrets, or ones generated once into DATA_DIR/keys (mode 0600) and reused afterwards. */
export async function loadSecrets(config: Config, log: Logger): Promise<ServiceSecrets> {
  const keys = join(config.dataDir, "keys");
  const adminApiKeyFile = config.adminApiKey === undefined ? join(keys, "admin-api-key") : undefined;
  const adminApiKey =
    config.adminApiKey ??
    (await readOrCreateSecret(join(keys, "admin-api-key"), () => `cta_${randomBytes(32).toString("base64url")}`));
  const custodyHex =
    config.custodyMasterKey ??
    (await readOrCreateSecret(join(keys, "custody-master.key"), () => randomBytes(32).toString("hex")));
  if (config.custodyMasterKey === undefined && config.databaseUrl !== undefined) {
    log.warn(
      "custodial keys are sealed with a master key generated in DATA_DIR/keys while the database is external: " +
        "set CUSTODY_MASTER_KEY (and back it up) so that losing DATA_DIR does not lose custodial keys",
    );
  }
  if (adminApiKeyFile !== undefined) log.info("administrator API key", { file: adminApiKeyFile });
  return { adminApiKey, adminApiKeyFile, custodyMasterKey: Buffer.from(custodyHex, "hex") };
}
