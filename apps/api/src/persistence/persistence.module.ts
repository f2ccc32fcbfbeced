import { Global, Module } from "@nestjs/common";
import { KeyVault } from "#custody";
import {
  AdvisoryPassLease,
  AnchorRepository,
  CaptureRepository,
  ChainJobRepository,
  ConsoleRepository,
  EventRepository,
  EvidenceRepository,
  FactorRepository,
  FootprintRepository,
  FreshStatistics,
  LotRepository,
  OffsetRepository,
  PactRepository,
  ProductModelRepository,
  QueryRepository,
  ParticipantRepository,
} from "#database";
import type { ServiceSecrets } from "#runtime";
import { DataSource } from "typeorm";
import { SECRETS } from "../runtime.ports.js";
import { StatisticsService } from "./statistics.service.js";

const onDataSource = <T>(build: (dataSource: DataSource) => T) => ({ useFactory: build, inject: [DataSource] });

/**
 * Repositories and the key vault, built on the runtime's database connection and its custody master key; and the
 * upkeep of the planner statistics the lot-graph queries depend on.
 */
@Global()
@Module({
  providers: [
    { provide: ParticipantRepository, ...onDataSource((ds) => new ParticipantRepository(ds)) },
    { provide: CaptureRepository, ...onDataSource((ds) => new CaptureRepository(ds)) },
    { provide: ConsoleRepository, ...onDataSource((ds) => new ConsoleRepository(ds)) },
    { provide: EventRepository, ...onDataSource((ds) => new EventRepository(ds)) },
    { provide: EvidenceRepository, ...onDataSource((ds) => new EvidenceRepository(ds)) },
    { provide: AnchorRepository, ...onDataSource((ds) => new AnchorRepository(ds)) },
    { provide: LotRepository, ...onDataSource((ds) => new LotRepository(ds)) },
    { provide: FactorRepository, ...onDataSource((ds) => new FactorRepository(ds)) },
    { provide: FootprintRepository, ...onDataSource((ds) => new FootprintRepository(ds)) },
    { provide: PactRepository, ...onDataSource((ds) => new PactRepository(ds)) },
    { provide: QueryRepository, ...onDataSource((ds) => new QueryRepository(ds)) },
    { provide: ProductModelRepository, ...onDataSource((ds) => new ProductModelRepository(ds)) },
    { provide: OffsetRepository, ...onDataSource((ds) => new OffsetRepository(ds)) },
    { provide: ChainJobRepository, ...onDataSource((ds) => new ChainJobRepository(ds)) },
    { provide: AdvisoryPassLease, ...onDataSource((ds) => new AdvisoryPassLease(ds)) },
    { provide: FreshStatistics, ...onDataSource((ds) => new FreshStatistics(ds)) },
    StatisticsService,
    {
      provide: KeyVault,
      useFactory: (secrets: ServiceSecrets) => new KeyVault(secrets.custodyMasterKey),
      inject: [SECRETS],
    },
  ],
  exports: [
    AdvisoryPassLease,
    ParticipantRepository,
    CaptureRepository,
    ConsoleRepository,
    EventRepository,
    EvidenceRepository,
    AnchorRepository,
    LotRepository,
    FactorRepository,
    FootprintRepository,
    PactRepository,
    QueryRepository,
    ProductModelRepository,
    OffsetRepository,
    ChainJobRepository,
    KeyVault,
  ],
})
export class PersistenceModule {}
