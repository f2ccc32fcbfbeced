export { connectChain, readChainId, type ChainConnection, type ChainOptions } from "./chain.js";
export { SerialSigner, type NonceLock, type SignedTransaction } from "./serial-signer.js";
export { toChainError } from "./chain-errors.js";
export {
  CONTRACT_INTERFACES,
  CONTRACT_NAMES,
  OffsetRegistry__factory,
  PARTICIPANT_ROLE_IDS,
  ROLES,
  TraceLedger__factory,
  type ContractAddresses,
  type ContractName,
  type OffsetRegistry,
  type TraceLedger,
} from "./contracts.js";
export { DEFAULT_ADMIN_DELAY_SECONDS, deployContracts, type DeployedContract, type DeployOptions } from "./deploy.js";
export { interfaceIdOf } from "./interface-id.js";
export { Ledger, type ChainHealth } from "./ledger.js";
export { rpcLedgerReader, traceLedgerReader, type TraceLedgerReader } from "./ledger-reader.js";
export { findDeployBlock } from "./deploy-block.js";
export {
  creditBlockKey,
  LOG_PAGE_BLOCKS,
  findRetirement,
  retireCredits,
  sendRetirement,
  type LogSearch,
  type CreditRetirement,
  type RetiredOnChain,
} from "./offsets.js";
export { resend, sentState, type RecordedTransaction, type ResendOutcome, type SentState } from "./sent-transaction.js";
