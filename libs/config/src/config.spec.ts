import { describe, expect, it } from "@jest/globals";
import { ConfigError, describeConfig, loadConfig } from "./config.js";

const KEY = `0x${"ab".repeat(32)}`;
const ADDRESS_A = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const ADDRESS_B = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

function problemsOf(env: Record<string, string>): Array<{ key: string; reason: string }> {
  try {
    loadConfig(env, "/srv/app");
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("defaults to embedded parts, port 3000 and .data under the working directory", () => {
    const config = loadConfig({}, "/srv/app");
    expect(config.port).toBe(3000);
    expect(config.host).toBe("127.0.0.1");
    expect(config.dataDir).toBe("/srv/app/.data");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.chain.rpcUrl).toBeUndefined();
    expect(config.ipfsApiUrl).toBeUndefined();
    expect(config.chain.confirmations).toBe(1);
    expect(config.log).toEqual({ level: "info", format: "json" });
    expect(config.embedded).toEqual({ postgresPort: 0, anvilPort: 0 });
    expect(config.anchoring).toEqual({
      batchSize: 256,
      windowMs: 5000,
      maxBatch: 4096,
      pollMs: 500,
      behindAfterMs: 300_000,
    });
    expect(config.failpoints.size).toBe(0);
  });

  it("reads every variable", () => {
    const config = loadConfig(
      {
        PORT: "8080",
        HOST: "0.0.0.0",
        DATA_DIR: "/var/lib/carbontrace",
        LOG_LEVEL: "debug",
        LOG_FORMAT: "text",
        DATABASE_URL: "postgres://ct:pw@db:5432/ct",
        RPC_URL: "https://rpc.example.org",
        CHAIN_PRIVATE_KEY: KEY,
        TRACE_LEDGER_ADDRESS: ADDRESS_A,
        OFFSET_REGISTRY_ADDRESS: ADDRESS_B,
        CHAIN_CONFIRMATIONS: "12",
        IPFS_API_URL: "http://kubo:5001",
        PUBLIC_BASE_URL: "https://trace.example.com/",
        PUBLIC_RPC_URL: "https://public-rpc.example.org",
        EMBEDDED_POSTGRES_PORT: "5433",
        EMBEDDED_ANVIL_PORT: "8546",
        ADMIN_API_KEY: "a".repeat(40),
        CUSTODY_MASTER_KEY: `0x${"CD".repeat(32)}`,
        EPCIS_JSON_SCHEMA: "schemas/epcis.json",
        CAPTURE_MAX_BYTES: "1048576",
        CAPTURE_MAX_EVENTS: "500",
        EVIDENCE_MAX_BYTES: "1000000",
        ANCHOR_BATCH_SIZE: "10",
        ANCHOR_BATCH_WINDOW_MS: "100",
        ANCHOR_MAX_BATCH: "20",
        ANCHOR_POLL_MS: "50",
        ANCHOR_BEHIND_AFTER_S: "30",
        CARBONTRACE_FAILPOINTS: "anchor.after-mined, anchor.after-broadcast, chain-job.after-tx-recorded",
        PACT_CALLBACK_ALLOW: "http://127.0.0.1:8004/, https://pact.internal:8443",
        AUTH_FAILURE_LIMIT: "5",
      },
      "/srv/app",
    );
    expect(config).toEqual({
      port: 8080,
      host: "0.0.0.0",
      dataDir: "/var/lib/carbontrace",
      log: { level: "debug", format: "text" },
      databaseUrl: "postgres://ct:pw@db:5432/ct",
      chain: {
        rpcUrl: "https://rpc.example.org",
        privateKey: KEY,
        traceLedgerAddress: ADDRESS_A,
        offsetRegistryAddress: ADDRESS_B,
        confirmations: 12,
      },
      ipfsApiUrl: "http://kubo:5001",
      public: { baseUrl: "https://trace.example.com", rpcUrl: "https://public-rpc.example.org" },
      embedded: { postgresPort: 5433, anvilPort: 8546 },
      adminApiKey: "a".repeat(40),
      custodyMasterKey: "cd".repeat(32),
      capture: { epcisJsonSchema: "/srv/app/schemas/epcis.json", maxBytes: 1048576, maxEvents: 500 },
      evidence: { maxBytes: 1000000 },
      anchoring: { batchSize: 10, windowMs: 100, maxBatch: 20, pollMs: 50, behindAfterMs: 30_000 },
      failpoints: new Set(["anchor.after-mined", "anchor.after-broadcast", "chain-job.after-tx-recorded"]),
      outbound: { allow: ["http://127.0.0.1:8004", "https://pact.internal:8443"] },
      authFailureLimit: 5,
    });
  });

  it("lists every bad key at once", () => {
    const problems = problemsOf({
      PORT: "http",
      LOG_LEVEL: "loud",
      LOG_FORMAT: "xml",
      DATABASE_URL: "mysql://db",
      IPFS_API_URL: "not a url",
      CHAIN_CONFIRMATIONS: "0",
      EMBEDDED_ANVIL_PORT: "70000",
      PACT_CALLBACK_ALLOW: "127.0.0.1:8004",
      AUTH_FAILURE_LIMIT: "0",
    });
    expect(problems.map((p) => p.key).sort()).toEqual([
      "AUTH_FAILURE_LIMIT",
      "CHAIN_CONFIRMATIONS",
      "DATABASE_URL",
      "EMBEDDED_ANVIL_PORT",
      "IPFS_API_URL",
      "LOG_FORMAT",
      "LOG_LEVEL",
      "PACT_CALLBACK_ALLOW",
      "PORT",
    ]);
  });

  it("accepts a URL for the EPCIS schema and refuses short secrets without echoing them", () => {
    expect(
      loadConfig({ EPCIS_JSON_SCHEMA: "https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json" }).capture.epcisJsonSchema,
    ).toBe("https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json");
    const problems = problemsOf({ ADMIN_API_KEY: "short-secret", CUSTODY_MASTER_KEY: "abcd" });
    expect(problems).toEqual([
      { key: "ADMIN_API_KEY", reason: "must be at least 32 characters" },
      { key: "CUSTODY_MASTER_KEY", reason: "must be 64 hex digits (32 bytes)" },
    ]);
    expect(JSON.stringify(problems)).not.toContain("short-secret");
  });

  it("requires key and both addresses with RPC_URL", () => {
    expect(problemsOf({ RPC_URL: "http://127.0.0.1:8545" })).toEqual([
      { key: "CHAIN_PRIVATE_KEY", reason: "is required when RPC_URL is set" },
      { key: "TRACE_LEDGER_ADDRESS", reason: "is required when RPC_URL is set" },
      { key: "OFFSET_REGISTRY_ADDRESS", reason: "is required when RPC_URL is set" },
    ]);
  });

  it("rejects malformed chain settings without echoing the key", () => {
    const problems = problemsOf({
      RPC_URL: "ftp://node",
      CHAIN_PRIVATE_KEY: "0xsecretsecret",
      TRACE_LEDGER_ADDRESS: "0x1234",
      OFFSET_REGISTRY_ADDRESS: "0x5fbdb2315678afecb367f032d93F642f64180aa3",
    });
    expect(problems.map((p) => p.key)).toEqual([
      "RPC_URL",
      "CHAIN_PRIVATE_KEY",
      "TRACE_LEDGER_ADDRESS",
      "OFFSET_REGISTRY_ADDRESS",
    ]);
    expect(JSON.stringify(problems)).not.toContain("secretsecret");
  });

  it("carries a stable code for every front end", () => {
    try {
      loadConfig({ PORT: "-1" });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe("CONFIG.INVALID");
      expect((error as ConfigError).message).toContain("PORT: must be an integer from 0 to 65535");
      return;
    }
    throw new Error("expected a ConfigError");
  });
});

describe("describeConfig", () => {
  it("masks the chain key, the database password and the service secrets", () => {
    const config = loadConfig({
      ADMIN_API_KEY: "b".repeat(40),
      CUSTODY_MASTER_KEY: "ef".repeat(32),
      DATABASE_URL: "postgres://ct:hunter2@db:5432/ct",
      RPC_URL: "http://127.0.0.1:8545",
      CHAIN_PRIVATE_KEY: KEY,
      TRACE_LEDGER_ADDRESS: ADDRESS_A,
      OFFSET_REGISTRY_ADDRESS: ADDRESS_B,
    });
    const text = JSON.stringify(describeConfig(config));
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain(KEY);
    expect(text).toContain("postgres://ct:***@db:5432/ct");
    expect(text).not.toContain("b".repeat(40));
    expect(text).not.toContain("ef".repeat(32));
  });

  it("says which parts are embedded", () => {
    const described = describeConfig(loadConfig({}));
    expect(described).toMatchObject({ databaseUrl: "embedded", ipfsApiUrl: "embedded", chain: { rpcUrl: "embedded" } });
  });
});
