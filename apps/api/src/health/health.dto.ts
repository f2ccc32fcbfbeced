import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";

export class ComponentHealthDto {
  @ApiProperty({ enum: ["ok", "degraded", "failing"], description: "degraded: working, but an operator should act" })
  status!: "ok" | "degraded" | "failing";

  @ApiProperty({ description: "What was checked, or why it failed" })
  detail!: string;
}

export class DatabaseHealthDto extends ComponentHealthDto {
  @ApiPropertyOptional({ example: "17.6" })
  version?: string;

  @ApiPropertyOptional({ description: "Migrations applied" })
  migrations?: number;
}

export class ContractHealthDto {
  @ApiProperty({ example: "0x5FbDB2315678afecb367f032d93F642f64180aa3" })
  address!: string;

  @ApiProperty({ description: "Whether code exists at the address" })
  deployed!: boolean;
}

export class ContractsHealthDto {
  @ApiProperty({ type: ContractHealthDto })
  TraceLedger!: ContractHealthDto;

  @ApiProperty({ type: ContractHealthDto })
  OffsetRegistry!: ContractHealthDto;
}

export class ServiceRolesDto {
  @ApiProperty({ description: "REGISTRAR_ROLE on TraceLedger: grants and revokes participant roles" })
  registrar!: boolean;

  @ApiProperty({ description: "ANCHORER_ROLE on TraceLedger: anchors batch roots" })
  anchorer!: boolean;

  @ApiProperty({ description: "RETIRER_ROLE on OffsetRegistry: retires carbon credits" })
  retirer!: boolean;

  @ApiProperty({ description: "DEFAULT_ADMIN_ROLE on either contract: should be false (the admin is a cold key)" })
  admin!: boolean;
}

export class ChainHealthDto extends ComponentHealthDto {
  @ApiPropertyOptional({ example: "31337" })
  chainId?: string;

  @ApiPropertyOptional({ description: "Latest block number" })
  block?: number;

  @ApiPropertyOptional({ description: "Service account that registers participants, anchors and retires" })
  account?: string;

  @ApiPropertyOptional({ type: ContractsHealthDto })
  contracts?: ContractsHealthDto;

  @ApiPropertyOptional({ type: ServiceRolesDto, description: "The roles the service account holds on the ledger" })
  roles?: ServiceRolesDto;

  @ApiPropertyOptional({ description: "The account holding DEFAULT_ADMIN_ROLE on TraceLedger" })
  admin?: string;

  @ApiPropertyOptional({ type: String, isArray: true, description: "What an operator should fix" })
  warnings?: string[];
}

export class IpfsHealthDto extends ComponentHealthDto {
  @ApiProperty({ enum: ["embedded", "kubo"] })
  kind!: "embedded" | "kubo";

  @ApiPropertyOptional({
    description:
      "Free space for the store, in bytes (degraded below 512 MiB or 10 % of its disk, failing below 16 MiB or 2 %)",
  })
  freeBytes?: number;
}

export class BacklogDto {
  @ApiProperty({ description: "Events (and error declarations) captured but not yet on the chain" })
  events!: number;

  @ApiProperty({ type: Number, nullable: true, description: "How long the oldest of them has waited, in seconds" })
  oldestAgeSeconds!: number | null;
}

export class AnchorFailureDto {
  @ApiProperty({ enum: ["chain", "funds", "ipfs", "database", "other"] })
  cause!: string;

  @ApiProperty({ example: "CHAIN.UNAVAILABLE" })
  code!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty({ format: "date-time" })
  at!: string;
}

export class EngineHealthDto {
  @ApiProperty({ description: "Whether the process is running now" })
  running!: boolean;

  @ApiProperty({ description: "Times it was started again after dying, since the service started" })
  restarts!: number;

  @ApiProperty({ type: String, nullable: true, format: "date-time" })
  lastRestartAt!: string | null;
}

export class EnginesHealthDto {
  @ApiPropertyOptional({ type: EngineHealthDto, description: "The embedded PostgreSQL (absent with DATABASE_URL)" })
  postgres?: EngineHealthDto;

  @ApiPropertyOptional({ type: EngineHealthDto, description: "The embedded anvil (absent with RPC_URL)" })
  chain?: EngineHealthDto;
}

export class AnchoringHealthDto extends ComponentHealthDto {
  @ApiProperty({ description: "Whether this instance holds the anchoring lock" })
  leader!: boolean;

  @ApiPropertyOptional({ type: String, nullable: true })
  lastPassAt!: string | null;

  @ApiPropertyOptional({
    type: "object",
    additionalProperties: { type: "integer" },
    description: "Events per state: queued, built, sent, anchored, final",
  })
  events?: Record<string, number>;

  @ApiPropertyOptional({
    type: BacklogDto,
    description: "What is not on the chain yet (absent if the database did not answer)",
  })
  backlog?: BacklogDto;

  @ApiProperty({ type: String, nullable: true, format: "date-time", description: "Last batch this instance saw mined" })
  lastAnchorAt!: string | null;

  @ApiProperty({
    type: "object",
    additionalProperties: { type: "integer" },
    description: "Failed anchoring steps since start, by cause: chain, funds, ipfs, database, other",
  })
  failures!: Record<string, number>;

  @ApiPropertyOptional({ type: AnchorFailureDto, description: "The last failed step (absent if none since start)" })
  lastFailure?: AnchorFailureDto;
}

export class HealthDto {
  @ApiProperty({
    enum: ["ok", "degraded", "failing"],
    description: "The worst component's status: 503 when failing, 200 when ok or degraded",
  })
  status!: "ok" | "degraded" | "failing";

  @ApiProperty({ type: DatabaseHealthDto })
  database!: DatabaseHealthDto;

  @ApiProperty({ type: ChainHealthDto })
  chain!: ChainHealthDto;

  @ApiProperty({ type: IpfsHealthDto })
  ipfs!: IpfsHealthDto;

  @ApiProperty({ type: ComponentHealthDto, description: "The GS1 EPCIS JSON Schema captures are validated against" })
  epcis!: ComponentHealthDto;

  @ApiProperty({ type: AnchoringHealthDto })
  anchoring!: AnchoringHealthDto;

  @ApiProperty({
    type: ComponentHealthDto,
    description: "Whether labels and generated evidence pictures can draw Chinese (degraded when they would not)",
  })
  labels!: ComponentHealthDto;

  @ApiProperty({ type: EnginesHealthDto, description: "Embedded engines this process runs and restarts" })
  engines!: EnginesHealthDto;
}
