export { canonicalDigitalLink } from "./digital-link.js";
export { eventHashesOfDocument, eventsOfDocument } from "./document.js";
export { epcToDigitalLink } from "./epc-to-digital-link.js";
export { digestOfEventHash, eventHashOf, preHashOf } from "./event-hash.js";
export { type Namespaces, namespacesOf, namespacesOfContext } from "./namespaces.js";
