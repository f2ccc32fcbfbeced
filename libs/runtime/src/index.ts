export { ensureContracts, type ContractsSource } from "./contracts.js";
export { anvilBinary, EMBEDDED_CHAIN_ID, startAnvil, type EmbeddedChain } from "./embedded/anvil.js";
export { startEmbeddedPostgres, type EmbeddedPostgresServer } from "./embedded/postgres.js";
export { findFreePort } from "./embedded/processes.js";
export { EPCIS_SCHEMA_URL, resolveEpcisSchema, type EpcisSchemaSource } from "./epcis-schema.js";
export { projectRoot } from "./project-root.js";
export { startRuntime, worstStatus, type HealthStatus, type Runtime, type RuntimeHealth } from "./runtime.js";
export type { EngineLiveness } from "./embedded/supervisor.js";
export type { ServiceSecrets } from "./secrets.js";
