import { DomainError } from "#common";
import {
  address,
  directory,
  failpointList,
  filePath,
  hexKey,
  host,
  integer,
  Invalid,
  oneOf,
  originList,
  folderPath,
  pathOrUrl,
  privateKey,
  secret,
  url,
  type EnvVar,
} from "./env-schema.js";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Both set: the API serves HTTPS only (PEM files); neither: plain HTTP. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly dataDir: string;
  readonly log: { readonly level: LogLevel; readonly format: "json" | "text" };
  /** Unset: an embedded PostgreSQL under `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly chain: {
    /** Unset: an embedded anvil under `dataDir` with contracts deployed on first start. */
    readonly rpcUrl: string | undefined;
    readonly privateKey: string | undefined;
    readonly traceLedgerAddress: string | undefined;
    readonly offsetRegistryAddress: string | undefined;
    readonly confirmations: number;
  };
  /** Unset: an in-process IPFS node under `dataDir`. */
  readonly ipfsApiUrl: string | undefined;
  readonly public: {
    /** Scheme and host printed in label QR codes; unset: the host each request came to. */
    readonly baseUrl: string | undefined;
    /** JSON-RPC URL browsers read the ledger from on the journey page; unset: the embedded anvil's, else none. */
    readonly rpcUrl: string | undefined;
  };
  readonly embedded: { readonly postgresPort: number; readonly anvilPort: number };
  /** Unset: generated into DATA_DIR/keys/admin-api-key on first start. */
  readonly adminApiKey: string | undefined;
  /** 32 bytes, hex. Unset: generated into DATA_DIR/keys/custody-master.key on first start. */
  readonly custodyMasterKey: string | undefined;
  readonly capture: {
    /** Path or URL of the official GS1 EPCIS 2.0 JSON Schema; unset: see resolveEpcisSchema. */
    readonly epcisJsonSchema: string | undefined;
    /** A folder of GS1's EPCIS 2.0 XSDs that XML captures are also validated against. */
    readonly epcisXmlSchema: string | undefined;
    readonly maxBytes: number;
    readonly maxEvents: number;
  };
  readonly evidence: { readonly maxBytes: number };
  readonly anchoring: {
    readonly batchSize: number;
    readonly windowMs: number;
    readonly maxBatch: number;
    readonly pollMs: number;
    /** Health says degraded (and the log says so every minute) once the oldest unanchored event waited this long. */
    readonly behindAfterMs: number;
  };
  /** Testing only: named points where the process kills itself (crash tests). */
  readonly failpoints: ReadonlySet<string>;
  /** Outbound calls to addresses participants name (PACT callbacks). */
  readonly outbound: {
    /** Origins (scheme://host[:port]) called even over http or at a private address (tests, private deployments). */
    readonly allow: readonly string[];
  };
  /** Failed authentications per client address per minute before it gets 429. */
  readonly authFailureLimit: number;
}

/** Every variable the service reads. `.env.example` and README are checked against this list by a test. */
export function envSchema(cwd: string) {
  return {
    PORT: {
      key: "PORT",
      description: "HTTP port of the API (0 picks a free port).",
      example: "3000",
      parse: integer(0, 65535, 3000),
    },
    HOST: {
      key: "HOST",
      description: "Interface the API listens on; 0.0.0.0 to accept connections from other machines.",
      example: "127.0.0.1",
      parse: host,
    },
    TLS_CERT_FILE: {
      key: "TLS_CERT_FILE",
      description:
        "PEM certificate (chain) to serve HTTPS instead of HTTP; needs TLS_KEY_FILE. PACT requires HTTPS in production.",
      example: "",
      parse: filePath(cwd),
    },
    TLS_KEY_FILE: {
      key: "TLS_KEY_FILE",
      description: "PEM private key of TLS_CERT_FILE.",
      example: "",
      parse: filePath(cwd),
    },
    PUBLIC_BASE_URL: {
      key: "PUBLIC_BASE_URL",
      description:
        "Scheme and host of label URIs (GS1 Digital Link in the QR codes), e.g. https://trace.example.com; unset: the host each request came to.",
      example: "",
      parse: url(["http:", "https:"]),
    },
    PUBLIC_RPC_URL: {
      key: "PUBLIC_RPC_URL",
      description:
        "Public JSON-RPC URL of the chain that consumers' browsers read the ledger from when they press Verify; unset: the embedded anvil's URL, or none with RPC_URL (never exposed: it may hold a key).",
      example: "",
      parse: url(["http:", "https:"]),
    },
    DATA_DIR: {
      key: "DATA_DIR",
      description:
        "Directory for all embedded state (PostgreSQL, chain, IPFS blocks, keys), relative to the working directory.",
      example: ".data",
      parse: directory(".data", cwd),
    },
    LOG_LEVEL: {
      key: "LOG_LEVEL",
      description: "Lowest level logged: debug, info, warn or error.",
      example: "info",
      parse: oneOf(LOG_LEVELS, "info"),
    },
    LOG_FORMAT: {
      key: "LOG_FORMAT",
      description: "json (one JSON object per line) or text (human-readable, coloured).",
      example: "json",
      parse: oneOf(["json", "text"] as const, "json"),
    },
    DATABASE_URL: {
      key: "DATABASE_URL",
      description: "PostgreSQL connection URL; unset starts an embedded PostgreSQL 17 in DATA_DIR/postgres.",
      example: "",
      secret: true,
      parse: url(["postgres:", "postgresql:"]),
    },
    RPC_URL: {
      key: "RPC_URL",
      description: "JSON-RPC URL of an EVM chain; unset starts an embedded anvil with state in DATA_DIR/chain.",
      example: "",
      parse: url(["http:", "https:", "ws:", "wss:"]),
    },
    CHAIN_PRIVATE_KEY: {
      key: "CHAIN_PRIVATE_KEY",
      description: "Key of the service account (anchorer, retirer) on RPC_URL; required with RPC_URL.",
      example: "",
      secret: true,
      parse: privateKey,
    },
    TRACE_LEDGER_ADDRESS: {
      key: "TRACE_LEDGER_ADDRESS",
      description: "TraceLedger contract on RPC_URL (deploy with `npm run deploy`); required with RPC_URL.",
      example: "",
      parse: address,
    },
    OFFSET_REGISTRY_ADDRESS: {
      key: "OFFSET_REGISTRY_ADDRESS",
      description: "OffsetRegistry contract on RPC_URL (deploy with `npm run deploy`); required with RPC_URL.",
      example: "",
      parse: address,
    },
    CHAIN_CONFIRMATIONS: {
      key: "CHAIN_CONFIRMATIONS",
      description: "Blocks after which a transaction counts as final.",
      example: "1",
      parse: integer(1, 1000, 1),
    },
    IPFS_API_URL: {
      key: "IPFS_API_URL",
      description:
        "Kubo RPC API URL (e.g. http://127.0.0.1:5001); unset runs an in-process IPFS node in DATA_DIR/ipfs.",
      example: "",
      parse: url(["http:", "https:"]),
    },
    EMBEDDED_POSTGRES_PORT: {
      key: "EMBEDDED_POSTGRES_PORT",
      description: "Port of the embedded PostgreSQL on 127.0.0.1 (0 picks a free port at each start).",
      example: "0",
      parse: integer(0, 65535, 0),
    },
    EMBEDDED_ANVIL_PORT: {
      key: "EMBEDDED_ANVIL_PORT",
      description: "Port of the embedded anvil on 127.0.0.1 (0 picks a free port at each start).",
      example: "0",
      parse: integer(0, 65535, 0),
    },
    ADMIN_API_KEY: {
      key: "ADMIN_API_KEY",
      description:
        "Bearer token of the administrator (registers participants); unset: generated into DATA_DIR/keys/admin-api-key.",
      example: "",
      secret: true,
      parse: secret(32),
    },
    CUSTODY_MASTER_KEY: {
      key: "CUSTODY_MASTER_KEY",
      description:
        "32-byte hex key that seals custodial signing keys; unset: generated into DATA_DIR/keys/custody-master.key. Back it up.",
      example: "",
      secret: true,
      parse: hexKey(32),
    },
    EPCIS_JSON_SCHEMA: {
      key: "EPCIS_JSON_SCHEMA",
      description:
        "Path or URL of the official GS1 EPCIS 2.0 JSON Schema that captures are validated against (see README).",
      example: "",
      parse: pathOrUrl(cwd),
    },
    EPCIS_XML_SCHEMA: {
      key: "EPCIS_XML_SCHEMA",
      description:
        "Folder of GS1's EPCIS 2.0 XSDs (EPCglobal-epcis-2_0.xsd, EPCglobal-epcis-query-2_0.xsd and their imports) that XML captures are validated against; unset: XML is mapped to JSON-LD and validated against the JSON Schema only.",
      example: "",
      parse: folderPath(cwd),
    },
    CAPTURE_MAX_BYTES: {
      key: "CAPTURE_MAX_BYTES",
      description: "Largest EPCIS document POST /capture accepts, in bytes.",
      example: "4194304",
      parse: integer(1024, 256 * 1024 * 1024, 4 * 1024 * 1024),
    },
    CAPTURE_MAX_EVENTS: {
      key: "CAPTURE_MAX_EVENTS",
      description: "Most events one EPCIS document may carry.",
      example: "1000",
      parse: integer(1, 100_000, 1000),
    },
    ANCHOR_BATCH_SIZE: {
      key: "ANCHOR_BATCH_SIZE",
      description: "Anchor a batch as soon as this many captured events wait.",
      example: "256",
      parse: integer(1, 1_000_000, 256),
    },
    ANCHOR_BATCH_WINDOW_MS: {
      key: "ANCHOR_BATCH_WINDOW_MS",
      description: "…or once the oldest waiting event has waited this many milliseconds.",
      example: "5000",
      parse: integer(0, 24 * 3600 * 1000, 5000),
    },
    ANCHOR_MAX_BATCH: {
      key: "ANCHOR_MAX_BATCH",
      description: "Most events in one Merkle batch.",
      example: "4096",
      parse: integer(1, 1_000_000, 4096),
    },
    ANCHOR_POLL_MS: {
      key: "ANCHOR_POLL_MS",
      description: "How often the anchoring worker looks for work, in milliseconds.",
      example: "500",
      parse: integer(50, 60_000, 500),
    },
    ANCHOR_BEHIND_AFTER_S: {
      key: "ANCHOR_BEHIND_AFTER_S",
      description:
        "Once the oldest event not yet on the chain has waited this many seconds, /health says anchoring is degraded and the log says so every minute.",
      example: "300",
      parse: integer(1, 86_400, 300),
    },
    CARBONTRACE_FAILPOINTS: {
      key: "CARBONTRACE_FAILPOINTS",
      description: "Testing only: comma-separated failpoints where the process kills itself (crash tests).",
      example: "",
      parse: failpointList,
    },
    PACT_CALLBACK_ALLOW: {
      key: "PACT_CALLBACK_ALLOW",
      description:
        "Comma-separated origins (scheme://host[:port]) the service may call back even over http or at a private address; others must be https and public.",
      example: "",
      parse: originList,
    },
    AUTH_FAILURE_LIMIT: {
      key: "AUTH_FAILURE_LIMIT",
      description: "Failed authentications (API keys, PACT secrets) one client address may make per minute before 429.",
      example: "20",
      parse: integer(1, 1_000_000, 20),
    },
    EVIDENCE_MAX_BYTES: {
      key: "EVIDENCE_MAX_BYTES",
      description: "Largest evidence file POST /evidence accepts, in bytes.",
      example: "26214400",
      parse: integer(1, 1024 * 1024 * 1024, 25 * 1024 * 1024),
    },
  } satisfies Record<string, EnvVar<unknown>>;
}

export type EnvSchema = ReturnType<typeof envSchema>;

/** A value or the list of problems with the environment. */
export class ConfigError extends DomainError {
  constructor(readonly problems: ReadonlyArray<{ key: string; reason: string }>) {
    super(
      "CONFIG.INVALID",
      "invalid",
      `Invalid configuration:\n${problems.map((p) => `  - ${p.key}: ${p.reason}`).join("\n")}`,
      { problems },
    );
  }
}

type Parsed<S extends EnvSchema> = {
  [K in keyof S]: S[K] extends EnvVar<infer T> ? Exclude<T, Invalid> : never;
};

/** Reads and checks every variable; throws one ConfigError that lists every bad key. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): Config {
  const schema = envSchema(cwd);
  const problems: Array<{ key: string; reason: string }> = [];
  const values: Record<string, unknown> = {};
  for (const spec of Object.values(schema) as Array<EnvVar<unknown>>) {
    const parsed = spec.parse(env[spec.key]);
    if (parsed instanceof Invalid) problems.push({ key: spec.key, reason: parsed.reason });
    else values[spec.key] = parsed;
  }
  const v = values as Parsed<EnvSchema>;
  if (v.RPC_URL !== undefined) {
    for (const key of ["CHAIN_PRIVATE_KEY", "TRACE_LEDGER_ADDRESS", "OFFSET_REGISTRY_ADDRESS"] as const) {
      if (v[key] === undefined && !problems.some((p) => p.key === key)) {
        problems.push({ key, reason: "is required when RPC_URL is set" });
      }
    }
  }
  if ((v.TLS_CERT_FILE === undefined) !== (v.TLS_KEY_FILE === undefined)) {
    const missing = v.TLS_CERT_FILE === undefined ? "TLS_CERT_FILE" : "TLS_KEY_FILE";
    if (!problems.some((p) => p.key === missing)) {
      problems.push({ key: missing, reason: "is required with the other TLS_* variable (HTTPS needs both)" });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port: v.PORT,
    host: v.HOST,
    tls:
      v.TLS_CERT_FILE !== undefined && v.TLS_KEY_FILE !== undefined
        ? { certFile: v.TLS_CERT_FILE, keyFile: v.TLS_KEY_FILE }
        : undefined,
    dataDir: v.DATA_DIR,
    log: { level: v.LOG_LEVEL, format: v.LOG_FORMAT },
    databaseUrl: v.DATABASE_URL,
    chain: {
      rpcUrl: v.RPC_URL,
      privateKey: v.CHAIN_PRIVATE_KEY,
      traceLedgerAddress: v.TRACE_LEDGER_ADDRESS,
      offsetRegistryAddress: v.OFFSET_REGISTRY_ADDRESS,
      confirmations: v.CHAIN_CONFIRMATIONS,
    },
    ipfsApiUrl: v.IPFS_API_URL,
    public: { baseUrl: v.PUBLIC_BASE_URL?.replace(/\/+$/, ""), rpcUrl: v.PUBLIC_RPC_URL },
    embedded: { postgresPort: v.EMBEDDED_POSTGRES_PORT, anvilPort: v.EMBEDDED_ANVIL_PORT },
    adminApiKey: v.ADMIN_API_KEY,
    custodyMasterKey: v.CUSTODY_MASTER_KEY,
    capture: {
      epcisJsonSchema: v.EPCIS_JSON_SCHEMA,
      epcisXmlSchema: v.EPCIS_XML_SCHEMA,
      maxBytes: v.CAPTURE_MAX_BYTES,
      maxEvents: v.CAPTURE_MAX_EVENTS,
    },
    evidence: { maxBytes: v.EVIDENCE_MAX_BYTES },
    anchoring: {
      batchSize: v.ANCHOR_BATCH_SIZE,
      windowMs: v.ANCHOR_BATCH_WINDOW_MS,
      maxBatch: v.ANCHOR_MAX_BATCH,
      pollMs: v.ANCHOR_POLL_MS,
      behindAfterMs: v.ANCHOR_BEHIND_AFTER_S * 1000,
    },
    failpoints: v.CARBONTRACE_FAILPOINTS,
    outbound: { allow: v.PACT_CALLBACK_ALLOW },
    authFailureLimit: v.AUTH_FAILURE_LIMIT,
  };
}

/** The configuration with secrets masked, safe to log. */
export function describeConfig(config: Config): Record<string, unknown> {
  const mask = (value: string | undefined): string | undefined => (value === undefined ? undefined : "***");
  return {
    ...config,
    databaseUrl: config.databaseUrl === undefined ? "embedded" : redactUrl(config.databaseUrl),
    chain: { ...config.chain, rpcUrl: config.chain.rpcUrl ?? "embedded", privateKey: mask(config.chain.privateKey) },
    ipfsApiUrl: config.ipfsApiUrl ?? "embedded",
    failpoints: [...config.failpoints],
    adminApiKey: config.adminApiKey === undefined ? "generated" : "***",
    custodyMasterKey: config.custodyMasterKey === undefined ? "generated" : "***",
  };
}

function redactUrl(value: string): string {
  const parsed = new URL(value);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
