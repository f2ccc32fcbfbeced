export { interfaceIdOf as interfaceId } from "../../libs/ledger/src/interface-id.js";
