export { ChainContractRepository, type ContractRecord } from "./chain-contract.repository.js";
export { createDataSource, openDatabase, pendingSchemaChanges, runMigrations } from "./data-source.js";
export { databaseHealth, type DatabaseHealth } from "./health.js";
export { ENTITIES, MIGRATIONS } from "./schema.js";
