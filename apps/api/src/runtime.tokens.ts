/** Injection token of the started Runtime (database, ledger, evidence store, health). */
export const RUNTIME = Symbol("RUNTIME");
