import { type DynamicModule, Global, Module } from "@nestjs/common";
import { TypeOrmModule } from "@nestjs/typeorm";
import { inThreadDocumentHashing, recoverWithEthers } from "#proof";
import type { Runtime } from "#runtime";
import { nativeSignerRecovery, WorkerDocumentHashing } from "#signatures";
import { AnchoringModule } from "./anchoring/anchoring.module.js";
import { ChainJobsModule } from "./chain-jobs/chain-jobs.module.js";
import { AuthModule } from "./auth/auth.module.js";
import { CaptureModule } from "./capture/capture.module.js";
import { ConsoleModule } from "./console/console.module.js";
import { EventsModule } from "./events/events.module.js";
import { EvidenceModule } from "./evidence/evidence.module.js";
import { FactorsModule } from "./factors/factors.module.js";
import { FootprintsModule } from "./footprints/footprints.module.js";
import { MetricsModule } from "./metrics/metrics.module.js";
import { ModelsModule } from "./models/models.module.js";
import { HealthModule } from "./health/health.module.js";
import { LabelsModule } from "./labels/labels.module.js";
import { OffsetsModule } from "./offsets/offsets.module.js";
import { PactModule } from "./pact/pact.module.js";
import { QueriesModule } from "./queries/queries.module.js";
import { ParticipantsModule } from "./participants/participants.module.js";
import { PersistenceModule } from "./persistence/persistence.module.js";
import { ProofsModule } from "./proofs/proofs.module.js";
import { VocabularyModule } from "./vocabulary/vocabulary.module.js";
import {
  CONFIG,
  ENGINE_HEALTH,
  EPCIS_SCHEMA,
  EPCIS_XML_SCHEMA,
  EVIDENCE_STORE,
  LEDGER,
  PUBLIC_RPC_URL,
  SECRETS,
  SIGNER_RECOVERY,
  DOCUMENT_HASHING,
  type EngineHealth,
} from "./runtime.ports.js";

/** Makes the started runtime's parts injectable everywhere, one token each (runtime.ports.ts), and its DataSource. */
@Global()
@Module({})
class RuntimeModule {
  static forRoot(runtime: Runtime): DynamicModule {
    const recover = nativeSignerRecovery() ?? recoverWithEthers;
    return {
      module: RuntimeModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => runtime.dataSource.options,
          // The runtime already connected and migrated; Nest only borrows the connection.
          dataSourceFactory: () => Promise.resolve(runtime.dataSource),
        }),
      ],
      providers: [
        { provide: CONFIG, useValue: runtime.config },
        { provide: SECRETS, useValue: runtime.secrets },
        { provide: LEDGER, useValue: runtime.ledger },
        { provide: EVIDENCE_STORE, useValue: runtime.evidence },
        { provide: EPCIS_SCHEMA, useValue: runtime.epcisSchema },
        { provide: EPCIS_XML_SCHEMA, useValue: runtime.epcisXmlSchema },
        { provide: ENGINE_HEALTH, useValue: { health: () => runtime.health() } satisfies EngineHealth },
        { provide: PUBLIC_RPC_URL, useValue: publicRpcUrl(runtime) },
        { provide: SIGNER_RECOVERY, useValue: recover },
        {
          provide: DOCUMENT_HASHING,
          useFactory: () => WorkerDocumentHashing.start(recover) ?? inThreadDocumentHashing(recover),
        },
      ],
      exports: [
        CONFIG,
        SECRETS,
        LEDGER,
        EVIDENCE_STORE,
        EPCIS_SCHEMA,
        EPCIS_XML_SCHEMA,
        ENGINE_HEALTH,
        PUBLIC_RPC_URL,
        SIGNER_RECOVERY,
        DOCUMENT_HASHING,
      ],
    };
  }
}

/**
 * Never the operator's RPC_URL (it may carry a key): only PUBLIC_RPC_URL, or the embedded anvil's (local, keyless).
 */
function publicRpcUrl(runtime: Runtime): string | null {
  return runtime.config.public.rpcUrl ?? (runtime.embedded.chain ? runtime.ledger.chain.rpcUrl : null);
}

@Module({})
export class AppModule {
  static forRoot(runtime: Runtime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forRoot(runtime),
        PersistenceModule,
        ChainJobsModule,
        AuthModule,
        HealthModule,
        MetricsModule,
        ModelsModule,
        ParticipantsModule,
        CaptureModule,
        ConsoleModule,
        EventsModule,
        EvidenceModule,
        VocabularyModule,
        AnchoringModule,
        ProofsModule,
        FactorsModule,
        FootprintsModule,
        PactModule,
        QueriesModule,
        OffsetsModule,
        LabelsModule,
      ],
    };
  }
}
