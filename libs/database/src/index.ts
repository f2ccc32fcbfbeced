export {
  AnchorRepository,
  type AnchorPlacement,
  type Backlog,
  type BatchRecord,
  type BatchState,
  type BatchStatus,
  type EventAnchor,
  type NewBatch,
  type OutboxState,
  type PendingWork,
} from "./anchor.repository.js";
export {
  ChainJobRepository,
  RUN_BY_REQUESTER_MS,
  type ChainJobKind,
  type ChainJobRecord,
  type ChainJobStatus,
  type LeasedJob,
} from "./chain-job.repository.js";
export { CaptureRepository } from "./capture.repository.js";
export type { CaptureInput, CaptureResult, EventOutcome, EventToStore } from "./capture.types.js";
export { ChainContractRepository, type ContractRecord } from "./chain-contract.repository.js";
export { createDataSource, openDatabase, pendingSchemaChanges, runMigrations } from "./data-source.js";
export { unavailableDatabase } from "./unavailable.js";
export {
  EventRepository,
  type CaptureJobRecord,
  type EventQuery,
  type RecentEventRecord,
  type StoredDeclaration,
  type StoredEvent,
} from "./event.repository.js";
export { EvidenceRepository, type EvidenceRecord } from "./evidence.repository.js";
export { databaseHealth, type DatabaseHealth } from "./health.js";
export {
  FactorRepository,
  type FactorRecord,
  type FactorSearch,
  type LibraryVersionRecord,
  type NewFactor,
  type StoredFactor,
} from "./factor.repository.js";
export {
  HOLDINGS_LIMIT,
  LotRepository,
  type AttestationRecord,
  type LotHoldingRecord,
  type EvidenceLinkRecord,
  type FootprintInputs,
  type LotRecord,
} from "./lot.repository.js";
export {
  ParticipantRepository,
  type ChainStatus,
  type NewApiKey,
  type NewParticipant,
  type KeyStatus,
  type ParticipantRecord,
  type ParticipantRoleRecord,
  type RoleChangeRecord,
} from "./participant.repository.js";
export {
  FootprintRepository,
  type BaselineRecord,
  type CalculationRecord,
  type FootprintCursor,
  type FootprintFilter,
  type FootprintIndex,
  type PublishedFootprint,
} from "./footprint.repository.js";
export {
  PactRepository,
  type DeliveryOutcome,
  type DeliveryRecord,
  type NewPactClient,
  type PactClientRecord,
  type PactEventRecord,
} from "./pact.repository.js";
export {
  OffsetRepository,
  type HoldingRecord,
  type NewHolding,
  type NewProduct,
  type ProductRecord,
  type ProductRevisionRecord,
  type RetirementRecord,
  type RetirementRequest,
  type RetirementStatus,
} from "./offset.repository.js";
export { ENTITIES, MIGRATIONS } from "./schema.js";
export { AdvisoryNonceLock, AdvisoryPassLease, type PassLease } from "./pass-lease.js";
export { FreshStatistics } from "./fresh-statistics.js";
export {
  ConsoleRepository,
  type ConsoleUserRecord,
  type InvitationRecord,
  type InvitationRefusal,
  type NewSession,
  type SessionRecord,
} from "./console.repository.js";
export {
  QueryRepository,
  type NamedQueryRecord,
  type NewSubscription,
  type SubscriptionDeliveryOutcome,
  type SubscriptionDeliveryRecord,
  type SubscriptionRecord,
} from "./query.repository.js";
export {
  ProductModelRepository,
  type AppendOutcome,
  type NewProductModelVersion,
  type ProductModelRecord,
} from "./product-model.repository.js";
