import { join } from "node:path";
import { parseEther, Wallet } from "ethers";
import type { DataSource } from "typeorm";
import type { Logger } from "#common";
import type { Config } from "#config";
import { AdvisoryNonceLock, databaseHealth, openDatabase, type DatabaseHealth } from "#database";
import { EmbeddedEvidenceStore, KuboEvidenceStore, type EvidenceHealth, type EvidenceStore } from "#evidence";
import { connectChain, type ChainConnection, type ChainHealth, type Ledger } from "#ledger";
import { ensureContracts } from "./contracts.js";
import { resolveEpcisSchema, type EpcisSchemaSource } from "./epcis-schema.js";
import { resolveEpcisXmlSchema, type EpcisXmlSchema } from "./epcis-xml-schema.js";
import { loadSecrets, type ServiceSecrets } from "./secrets.js";
import { startAnvil, type EmbeddedChain } from "./embedded/anvil.js";
import type { EngineLiveness } from "./embedded/supervisor.js";
import { lockDataDir } from "./embedded/data-dir-lock.js";
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from "./embedded/postgres.js";
import { readOrCreateSecret } from "./embedded/secrets.js";

export type HealthStatus = "ok" | "degraded" | "failing";

/** How long a part's health check took. */
interface Timed {
  readonly latencyMs: number;
}

export interface RuntimeHealth {
  readonly status: HealthStatus;
  readonly database: DatabaseHealth & Timed;
  readonly chain: ChainHealth & Timed;
  readonly ipfs: EvidenceHealth & Timed;
  readonly epcis: { readonly status: "ok" | "failing"; readonly detail: string };
  /** The embedded engines this process runs and supervises (absent when configured externally). */
  readonly engines: { readonly postgres?: EngineLiveness; readonly chain?: EngineLiveness };
}

/** The worst of the parts: failing if any fails, degraded if any is degraded. */
export function worstStatus(statuses: readonly HealthStatus[]): HealthStatus {
  if (statuses.includes("failing")) return "failing";
  return statuses.includes("degraded") ? "degraded" : "ok";
}

/** The real parts the service runs on, embedded or external, started and stopped together. */
export interface Runtime {
  readonly config: Config;
  readonly dataSource: DataSource;
  readonly ledger: Ledger;
  readonly evidence: EvidenceStore;
  readonly secrets: ServiceSecrets;
  /** The official GS1 EPCIS JSON Schema, if one could be loaded. */
  readonly epcisSchema: EpcisSchemaSource;
  readonly epcisXmlSchema: EpcisXmlSchema;
  readonly embedded: { readonly postgres: boolean; readonly chain: boolean; readonly ipfs: boolean };
  health(): Promise<RuntimeHealth>;
  /** Stops everything in order; safe to call twice. */
  stop(): Promise<void>;
}

const HEALTH_TIMEOUT_MS = 5_000;
/** What the embedded operator account is topped up to on each start; anvil's ether has no value. */
const EMBEDDED_OPERATOR_BALANCE = parseEther("1000");

/** Handles of whatever has started so far, so that a failed start still stops what it began. */
class Parts {
  unlock?: () => Promise<void>;
  postgres?: EmbeddedPostgresServer;
  dataSource?: DataSource;
  anvil?: EmbeddedChain;
  chain?: ChainConnection;
  evidence?: EvidenceStore;

  constructor(private readonly log: Logger) {}

  /** Reverse order of dependency: IPFS, chain, database, then the DATA_DIR lock. */
  async stop(): Promise<void> {
    await this.step("ipfs", () => this.evidence?.close());
    await this.step("chain connection", () => this.chain?.close());
    await this.step("anvil", () => this.anvil?.stop());
    await this.step("database connection", async () => {
      if (this.dataSource?.isInitialized === true) await this.dataSource.destroy();
    });
    await this.step("postgres", () => this.postgres?.stop());
    await this.step("data dir lock", () => this.unlock?.());
    Object.assign(this, { evidence: undefined, chain: undefined, anvil: undefined, postgres: undefined });
    Object.assign(this, { dataSource: undefined, unlock: undefined });
  }

  private async step(name: string, fn: () => Promise<void> | undefined): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.log.error(`failed to stop ${name}`, { error: String(error) });
    }
  }
}

/**
 * Starts PostgreSQL, the chain and IPFS (each embedded unless configured), runs migrations and makes sure
 * the contracts exist. The three parts start in parallel; if any fails, those that started are stopped.
 */
export async function startRuntime(config: Config, log: Logger): Promise<Runtime> {
  const parts = new Parts(log);
  const embedded = {
    postgres: config.databaseUrl === undefined,
    chain: config.chain.rpcUrl === undefined,
    ipfs: config.ipfsApiUrl === undefined,
  };
  try {
    if (embedded.postgres || embedded.chain || embedded.ipfs) parts.unlock = await lockDataDir(config.dataDir);
    const secrets = await loadSecrets(config, log);
    const epcisSchema = await resolveEpcisSchema(config.capture.epcisJsonSchema, config.dataDir, log.child("epcis"));
    const epcisXmlSchema = await resolveEpcisXmlSchema(config.capture.epcisXmlSchema, log.child("epcis"));
    const chainAdmin = embedded.chain ? await embeddedChainAdmin(config) : undefined;
    const results = await Promise.allSettled([
      startDatabase(config, parts, log.child("postgres")),
      startChain(config, parts, log.child("chain")),
      startEvidence(config, parts, log.child("ipfs")),
    ]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed !== undefined) throw failed.reason;
    const [dataSource, chain, evidence] = results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
      DataSource,
      ChainConnection,
      EvidenceStore,
    ];
    // Instances sharing the database (and so the service account) take the account's nonces one at a time.
    chain.signer.shareNonces(new AdvisoryNonceLock(dataSource));
    const ledger = await ensureContracts(
      chain,
      dataSource,
      embedded.chain
        ? { embedded: true, admin: chainAdmin }
        : {
            embedded: false,
            configured: {
              TraceLedger: required(config.chain.traceLedgerAddress),
              OffsetRegistry: required(config.chain.offsetRegistryAddress),
            },
          },
      log.child("chain"),
    );
    let stopped: Promise<void> | undefined;
    const { postgres, anvil } = parts;
    const engines = (): RuntimeHealth["engines"] => ({
      ...(postgres === undefined ? {} : { postgres: postgres.liveness() }),
      ...(anvil === undefined ? {} : { chain: anvil.liveness() }),
    });
    return {
      config,
      dataSource,
      ledger,
      evidence,
      secrets,
      epcisSchema,
      epcisXmlSchema,
      embedded,
      health: () =>
        runtimeHealth(dataSource, embedded.postgres, ledger, evidence, { epcisSchema, epcisXmlSchema }, engines),
      stop: () => (stopped ??= parts.stop()),
    };
  } catch (error) {
    await parts.stop();
    throw error;
  }
}

/**
 * Ports a picked engine port must not be: PORT (still unbound while the engines start) and the ports configured
 * for the engines. Two picked ports that collide are caught by the engines themselves, which then try another.
 */
function configuredPorts(config: Config): number[] {
  return [config.port, config.embedded.postgresPort, config.embedded.anvilPort].filter((port) => port !== 0);
}

async function startDatabase(config: Config, parts: Parts, log: Logger): Promise<DataSource> {
  let url = config.databaseUrl;
  if (url === undefined) {
    parts.postgres = await startEmbeddedPostgres({
      dir: join(config.dataDir, "postgres"),
      passwordFile: join(config.dataDir, "keys", "postgres.password"),
      port: config.embedded.postgresPort,
      avoidPorts: configuredPorts(config),
      log,
    });
    url = parts.postgres.url;
  }
  parts.dataSource = await openDatabase(url, log);
  return parts.dataSource;
}

async function startChain(config: Config, parts: Parts, log: Logger): Promise<ChainConnection> {
  if (config.chain.rpcUrl !== undefined) {
    parts.chain = await connectChain(config.chain.rpcUrl, required(config.chain.privateKey));
    log.info("connected to chain", { chainId: parts.chain.chainId.toString(), account: parts.chain.wallet.address });
    return parts.chain;
  }
  const anvil = await startAnvil({
    dir: join(config.dataDir, "chain"),
    port: config.embedded.anvilPort,
    avoidPorts: configuredPorts(config),
    log,
  });
  parts.anvil = anvil;
  const key = await readOrCreateSecret(
    join(config.dataDir, "keys", "operator.key"),
    () => Wallet.createRandom().privateKey,
  );
  parts.chain = await connectChain(anvil.rpcUrl, key, { afterSend: (txHash) => anvil.persist(txHash) });
  const balance = await parts.chain.provider.getBalance(parts.chain.wallet.address);
  if (balance < EMBEDDED_OPERATOR_BALANCE / 2n) {
    await parts.chain.provider.send("anvil_setBalance", [
      parts.chain.wallet.address,
      `0x${EMBEDDED_OPERATOR_BALANCE.toString(16)}`,
    ]);
  }
  return parts.chain;
}

/**
 * The embedded chain's administrator: a key of its own in DATA_DIR/keys (mode 0600), which the running service
 * never uses, so that the service account cannot appoint certifiers or operators. Kept for the operator's own
 * admin tasks (appointing another registrar, handing the admin role to a multisig).
 */
async function embeddedChainAdmin(config: Config): Promise<string> {
  const key = await readOrCreateSecret(
    join(config.dataDir, "keys", "chain-admin.key"),
    () => Wallet.createRandom().privateKey,
  );
  return new Wallet(key).address;
}

async function startEvidence(config: Config, parts: Parts, log: Logger): Promise<EvidenceStore> {
  parts.evidence =
    config.ipfsApiUrl === undefined
      ? await EmbeddedEvidenceStore.open(join(config.dataDir, "ipfs"), log)
      : await KuboEvidenceStore.connect(config.ipfsApiUrl, log);
  return parts.evidence;
}

async function runtimeHealth(
  dataSource: DataSource,
  embeddedPostgres: boolean,
  ledger: Ledger,
  evidence: EvidenceStore,
  schemas: { readonly epcisSchema: EpcisSchemaSource; readonly epcisXmlSchema: EpcisXmlSchema },
  engines: () => RuntimeHealth["engines"],
): Promise<RuntimeHealth> {
  const [database, chain, ipfs] = await Promise.all([
    timed(databaseHealth(dataSource, embeddedPostgres), { status: "failing", detail: "no answer within 5 s" }),
    timed(ledger.health(), { status: "failing", detail: "no answer within 5 s" }),
    timed(evidence.health(), { status: "failing" as const, kind: evidence.kind, detail: "no answer within 5 s" }),
  ]);
  const epcis = {
    status: schemas.epcisSchema.schema === undefined ? ("failing" as const) : ("ok" as const),
    detail: `${schemas.epcisSchema.detail}; ${schemas.epcisXmlSchema.detail}`,
  };
  const status = worstStatus([database.status, chain.status, ipfs.status, epcis.status]);
  return { status, database, chain, ipfs, epcis, engines: engines() };
}

async function timed<T>(promise: Promise<T>, fallback: T): Promise<T & Timed> {
  const started = performance.now();
  const result = await withTimeout(promise, fallback);
  return { ...result, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
}

function withTimeout<T>(promise: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), HEALTH_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function required(value: string | undefined): string {
  if (value === undefined) throw new Error("configuration was validated without a required chain setting");
  return value;
}
