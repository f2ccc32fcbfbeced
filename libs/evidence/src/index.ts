export { cidOf, KUBO_V0_IMPORT, KUBO_V1_ADD_PARAMS, KUBO_V1_IMPORT } from "./cid.js";
export type { EvidenceHealth, EvidenceStore } from "./evidence-store.js";
export { HeliaEvidenceStore } from "./helia-store.js";
export { KuboEvidenceStore } from "./kubo-store.js";
