export { canonicalDigitalLink } from "./digital-link.js";
export { eventHashesOfDocument, eventsOfDocument, preHashesOfDocument } from "./document.js";
export { epcToDigitalLink } from "./epc-to-digital-link.js";
export { digestOfEventHash, eventHashOf, preHashOf } from "./event-hash.js";
export { type Namespaces, namespacesOf, namespacesOfContext } from "./namespaces.js";
export {
  documentFromXml,
  EPCIS_CONTEXT_URL,
  EPCIS_XML_NAMESPACES,
  readEpcisXml,
  type EpcisXml,
} from "./xml-document.js";
export { documentToXml } from "./xml-writer.js";
export { explainHashDifference, type HashDifference } from "./hash-difference.js";
