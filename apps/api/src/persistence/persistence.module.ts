import { Global, Module } from "@nestjs/common";
import { KeyVault } from "#custody";
import {
  AnchorRepository,
  CaptureRepository,
  EventRepository,
  EvidenceRepository,
  FactorRepository,
  FootprintRepository,
  LotRepository,
  OffsetRepository,
  PactRepository,
  ParticipantRepository,
} from "#database";
import type { Runtime } from "#runtime";
import { RUNTIME } from "../runtime.tokens.js";

const fromRuntime = <T>(build: (runtime: Runtime) => T) => ({ useFactory: build, inject: [RUNTIME] });

/** Repositories and the key vault, built on the runtime's database connection and secrets. */
@Global()
@Module({
  providers: [
    { provide: ParticipantRepository, ...fromRuntime((r) => new ParticipantRepository(r.dataSource)) },
    { provide: CaptureRepository, ...fromRuntime((r) => new CaptureRepository(r.dataSource)) },
    { provide: EventRepository, ...fromRuntime((r) => new EventRepository(r.dataSource)) },
    { provide: EvidenceRepository, ...fromRuntime((r) => new EvidenceRepository(r.dataSource)) },
    { provide: AnchorRepository, ...fromRuntime((r) => new AnchorRepository(r.dataSource)) },
    { provide: LotRepository, ...fromRuntime((r) => new LotRepository(r.dataSource)) },
    { provide: FactorRepository, ...fromRuntime((r) => new FactorRepository(r.dataSource)) },
    { provide: FootprintRepository, ...fromRuntime((r) => new FootprintRepository(r.dataSource)) },
    { provide: PactRepository, ...fromRuntime((r) => new PactRepository(r.dataSource)) },
    { provide: OffsetRepository, ...fromRuntime((r) => new OffsetRepository(r.dataSource)) },
    { provide: KeyVault, ...fromRuntime((r) => new KeyVault(r.secrets.custodyMasterKey)) },
  ],
  exports: [
    ParticipantRepository,
    CaptureRepository,
    EventRepository,
    EvidenceRepository,
    AnchorRepository,
    LotRepository,
    FactorRepository,
    FootprintRepository,
    PactRepository,
    OffsetRepository,
    KeyVault,
  ],
})
export class PersistenceModule {}
