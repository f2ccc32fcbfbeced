/** Signature checks on native code (adapter lib): the pure rules are in #proof, which also runs in browsers. */
export { nativeSignerRecovery } from "./native-recovery.js";
export { WorkerDocumentHashing } from "./hashing-pool.js";
