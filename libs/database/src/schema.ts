import { AnchorBatchEntity } from "./entities/anchor-batch.entity.js";
import { AnchorOutboxEntity } from "./entities/anchor-outbox.entity.js";
import { AnchorTallyEntity } from "./entities/anchor-tally.entity.js";
import { ApiKeyEntity } from "./entities/api-key.entity.js";
import { AttestationEntity } from "./entities/attestation.entity.js";
import { BatchLeafEntity } from "./entities/batch-leaf.entity.js";
import { CaptureJobEntity } from "./entities/capture-job.entity.js";
import { ChainContractEntity } from "./entities/chain-contract.entity.js";
import { ConsoleInvitationEntity } from "./entities/console-invitation.entity.js";
import { ConsoleSessionEntity } from "./entities/console-session.entity.js";
import { ConsoleUserEntity } from "./entities/console-user.entity.js";
import { EpcisEventEntity } from "./entities/epcis-event.entity.js";
import { EmissionFactorEntity } from "./entities/emission-factor.entity.js";
import { FactorLibraryVersionEntity } from "./entities/factor-library-version.entity.js";
import { FootprintCalculationEntity } from "./entities/footprint-calculation.entity.js";
import { LotBaselineEntity } from "./entities/lot-baseline.entity.js";
import { PactClientEntity } from "./entities/pact-client.entity.js";
import { PactDeliveryEntity } from "./entities/pact-delivery.entity.js";
import { PactEventEntity } from "./entities/pact-event.entity.js";
import { PactTokenEntity } from "./entities/pact-token.entity.js";
import { ProductFootprintEntity } from "./entities/product-footprint.entity.js";
import { EventEvidenceEntity } from "./entities/event-evidence.entity.js";
import { EventReferenceEntity } from "./entities/event-reference.entity.js";
import { EvidenceFileEntity } from "./entities/evidence-file.entity.js";
import { LotMovementEntity } from "./entities/lot-movement.entity.js";
import { LotEntity } from "./entities/lot.entity.js";
import { ParticipantRoleEntity } from "./entities/participant-role.entity.js";
import { ParticipantEntity } from "./entities/participant.entity.js";
import { ProductEntity } from "./entities/product.entity.js";
import { CreditHoldingEntity } from "./entities/credit-holding.entity.js";
import { OffsetRetirementEntity } from "./entities/offset-retirement.entity.js";
import { CustodyMovementEntity } from "./entities/custody-movement.entity.js";
import { ErrorDeclarationEntity } from "./entities/error-declaration.entity.js";
import { LotHoldingEntity } from "./entities/lot-holding.entity.js";
import { ParticipantRoleChangeEntity } from "./entities/participant-role-change.entity.js";
import { ProductRevisionEntity } from "./entities/product-revision.entity.js";
import { CreateChainContract1763784000000 } from "./migrations/1763784000000-CreateChainContract.js";
import { CreateCaptureSchema1763800000000 } from "./migrations/1763800000000-CreateCaptureSchema.js";
import { CreateAnchoring1764000000000 } from "./migrations/1764000000000-CreateAnchoring.js";
import { CreateFootprints1764200000000 } from "./migrations/1764200000000-CreateFootprints.js";
import { CreateLabels1764400000000 } from "./migrations/1764400000000-CreateLabels.js";
import { EnforceAuthority1764600000000 } from "./migrations/1764600000000-EnforceAuthority.js";
import { TallyAnchorBatches1764800000000 } from "./migrations/1764800000000-TallyAnchorBatches.js";
import { CreateConsoleAccess1764900000000 } from "./migrations/1764900000000-CreateConsoleAccess.js";
import { IndexLotsByProduct1765000000000 } from "./migrations/1765000000000-IndexLotsByProduct.js";
import { AddParticipantKeyStatus1765300000000 } from "./migrations/1765300000000-AddParticipantKeyStatus.js";
import { CreateQuerySubscriptions1765100000000 } from "./migrations/1765100000000-CreateQuerySubscriptions.js";
import { NamedQueryEntity } from "./entities/named-query.entity.js";
import { SubscriptionDeliveryEntity } from "./entities/subscription-delivery.entity.js";
import { SubscriptionEntity } from "./entities/subscription.entity.js";
import { ProductModelEntity } from "./entities/product-model.entity.js";
import { ChainJobEntity } from "./entities/chain-job.entity.js";
import { CreateChainJobs1765400000000 } from "./migrations/1765400000000-CreateChainJobs.js";
import { MergeRoleChainJobs1765500000000 } from "./migrations/1765500000000-MergeRoleChainJobs.js";
import { LighterCaptureWrites1765600000000 } from "./migrations/1765600000000-LighterCaptureWrites.js";
import { StoreManifestsAsText1765700000000 } from "./migrations/1765700000000-StoreManifestsAsText.js";
import { NoStatisticsOnEventDocuments1765800000000 } from "./migrations/1765800000000-NoStatisticsOnEventDocuments.js";
import { DropRedundantBatchLeafIndex1765900000000 } from "./migrations/1765900000000-DropRedundantBatchLeafIndex.js";
import { CreateProductModels1765200000000 } from "./migrations/1765200000000-CreateProductModels.js";

/** Every entity, listed explicitly so the same list works from sources (tests) and from dist (runtime). */
export const ENTITIES = [
  ChainContractEntity,
  ParticipantEntity,
  ParticipantRoleEntity,
  ApiKeyEntity,
  CaptureJobEntity,
  EpcisEventEntity,
  EventReferenceEntity,
  LotEntity,
  LotMovementEntity,
  EvidenceFileEntity,
  EventEvidenceEntity,
  AnchorOutboxEntity,
  AnchorBatchEntity,
  AnchorTallyEntity,
  BatchLeafEntity,
  AttestationEntity,
  FactorLibraryVersionEntity,
  EmissionFactorEntity,
  FootprintCalculationEntity,
  LotBaselineEntity,
  ProductFootprintEntity,
  PactClientEntity,
  PactTokenEntity,
  PactEventEntity,
  PactDeliveryEntity,
  ProductEntity,
  CreditHoldingEntity,
  OffsetRetirementEntity,
  ParticipantRoleChangeEntity,
  ProductRevisionEntity,
  ErrorDeclarationEntity,
  LotHoldingEntity,
  CustodyMovementEntity,
  ConsoleInvitationEntity,
  ConsoleUserEntity,
  ConsoleSessionEntity,
  NamedQueryEntity,
  SubscriptionEntity,
  SubscriptionDeliveryEntity,
  ProductModelEntity,
  ChainJobEntity,
];

/** Every migration in order. Never edit one that has been merged: add a new one. */
export const MIGRATIONS = [
  CreateChainContract1763784000000,
  CreateCaptureSchema1763800000000,
  CreateAnchoring1764000000000,
  CreateFootprints1764200000000,
  CreateLabels1764400000000,
  EnforceAuthority1764600000000,
  TallyAnchorBatches1764800000000,
  CreateConsoleAccess1764900000000,
  IndexLotsByProduct1765000000000,
  CreateQuerySubscriptions1765100000000,
  CreateProductModels1765200000000,
  AddParticipantKeyStatus1765300000000,
  CreateChainJobs1765400000000,
  MergeRoleChainJobs1765500000000,
  LighterCaptureWrites1765600000000,
  StoreManifestsAsText1765700000000,
  NoStatisticsOnEventDocuments1765800000000,
  DropRedundantBatchLeafIndex1765900000000,
];
