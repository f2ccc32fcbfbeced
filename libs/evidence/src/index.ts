export type { EvidenceHealth, EvidenceStore } from "./evidence-store.js";
export { EmbeddedEvidenceStore } from "./embedded-store.js";
export { KuboEvidenceStore } from "./kubo-store.js";
export { ipfsUnavailable, isNoSpace, storeFull } from "./errors.js";
