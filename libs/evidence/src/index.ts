export type { EvidenceHealth, EvidenceStore } from "./evidence-store.js";
export { HeliaEvidenceStore } from "./helia-store.js";
export { KuboEvidenceStore } from "./kubo-store.js";
export { ipfsUnavailable, isNoSpace, storeFull } from "./errors.js";
