import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { Type } from "class-transformer";
import {
  IsBoolean,
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsEthereumAddress,
  IsIn,
  IsObject,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from "class-validator";
import { PARTICIPANT_ROLES, type ParticipantRole } from "#capture";
import { Optional } from "../../common/validation.js";

const COMPANY_PREFIX = /^\d{4,12}$/;

export const IDENTIFIER_SCHEMES = ["gln", "lei", "uscc", "other"] as const;
export type IdentifierScheme = (typeof IDENTIFIER_SCHEMES)[number];

export class IdentifierDto {
  @ApiProperty({
    enum: IDENTIFIER_SCHEMES,
    description: "gln (GS1 Global Location Number), lei, uscc (统一社会信用代码) or other",
  })
  @IsIn(IDENTIFIER_SCHEMES)
  scheme!: IdentifierScheme;

  @ApiProperty({ example: "6901234000004" })
  @IsString()
  @Length(1, 100)
  value!: string;
}

export class DisplayNameDto {
  @ApiProperty({ example: "绿源再生塑料有限公司" })
  @IsString()
  @Length(1, 200)
  zh!: string;

  @ApiProperty({ example: "Green Source Recycled Plastics Co., Ltd." })
  @IsString()
  @Length(1, 200)
  en!: string;
}

export class CreateParticipantDto {
  @ApiProperty({ example: "Green Source Recycled Plastics Co., Ltd." })
  @IsString()
  @Length(1, 200)
  organisation!: string;

  @ApiProperty({ type: IdentifierDto })
  @IsObject()
  @ValidateNested()
  @Type(() => IdentifierDto)
  identifier!: IdentifierDto;

  @ApiProperty({ type: DisplayNameDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DisplayNameDto)
  displayName!: DisplayNameDto;

  @ApiPropertyOptional({
    example: "CN",
    description:
      "ISO 3166-1 alpha-2 country of the participant's sites: the region for emission factors where an activity names none",
  })
  @Optional()
  @Matches(/^[A-Z]{2}$/, { message: "country must be an ISO 3166-1 alpha-2 code such as CN" })
  country?: string;

  @ApiProperty({ enum: PARTICIPANT_ROLES, isArray: true, example: ["recycler"] })
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(PARTICIPANT_ROLES.length)
  @IsIn(PARTICIPANT_ROLES, { each: true })
  roles!: ParticipantRole[];

  @ApiProperty({
    enum: ["self", "custodial"],
    description:
      "self: the participant signs with its own key (give `address`); custodial: the service holds a key for it",
  })
  @IsIn(["self", "custodial"])
  custody!: "self" | "custodial";

  @ApiPropertyOptional({
    example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    description: "Required for self custody, unless the key is created in the console (`keyFromConsole`)",
  })
  @Optional()
  @IsEthereumAddress()
  address?: string;

  @ApiPropertyOptional({
    description:
      "Self custody only: the participant's person creates its key in the partner console's browser (nothing secret " +
      "reaches the service) and gives the service its address with proof of possession; its roles wait until then",
  })
  @Optional()
  @IsBoolean()
  keyFromConsole?: boolean;

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    example: ["6901234"],
    description:
      "GS1 Company Prefixes the participant owns (4–12 digits): it is the brand owner of the GTINs under them and " +
      "alone (with the administrator) names those products",
  })
  @Optional()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(COMPANY_PREFIX, { each: true, message: "each company prefix must be 4 to 12 digits" })
  companyPrefixes?: string[];

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    example: ["6901234000059"],
    description:
      "GLNs of the participant's sites besides its own GLN (check digits verified): the places its events may name",
  })
  @Optional()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsString({ each: true })
  locations?: string[];
}

export class AddLocationsDto {
  @ApiProperty({ type: String, isArray: true, example: ["6901234000059"], description: "GLNs of sites" })
  @ArrayNotEmpty()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsString({ each: true })
  locations!: string[];
}

export class AddCompanyPrefixesDto {
  @ApiProperty({ type: String, isArray: true, example: ["6901234"] })
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(COMPANY_PREFIX, { each: true, message: "each company prefix must be 4 to 12 digits" })
  companyPrefixes!: string[];
}

export class RoleChangeDto {
  @ApiProperty({ enum: PARTICIPANT_ROLES })
  role!: string;

  @ApiProperty({ enum: ["granted", "revoked"], description: "What the ledger did" })
  action!: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: "The ledger transaction" })
  txHash!: string | null;

  @ApiProperty()
  recordedAt!: string;
}

export class AddRolesDto {
  @ApiProperty({ enum: PARTICIPANT_ROLES, isArray: true })
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(PARTICIPANT_ROLES, { each: true })
  roles!: ParticipantRole[];
}

export class CreateApiKeyDto {
  @ApiPropertyOptional({ example: "weighbridge PC" })
  @Optional()
  @IsString()
  @Length(1, 100)
  label?: string;
}

export class RoleStatusDto {
  @ApiProperty({ enum: PARTICIPANT_ROLES })
  role!: string;

  @ApiProperty({
    enum: ["pending", "granted", "failed", "revoking", "revoked"],
    description: "Whether the TraceLedger has granted the role (or, after a revocation, revoked it)",
  })
  chainStatus!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  txHash!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  error!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: "When the administrator revoked it" })
  revokedAt!: string | null;
}

export class ParticipantDto {
  @ApiProperty({ format: "uuid" })
  id!: string;

  @ApiProperty()
  organisation!: string;

  @ApiProperty({ type: IdentifierDto })
  identifier!: IdentifierDto;

  @ApiProperty({ type: DisplayNameDto })
  displayName!: DisplayNameDto;

  @ApiProperty({ type: String, nullable: true, example: "CN" })
  country!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "Address of the key that signs this participant's events; null while its person has not created it",
  })
  address!: string | null;

  @ApiProperty({
    enum: ["set", "awaiting"],
    description: "awaiting: a self-custody key its person creates in the console (POST /console/key)",
  })
  keyStatus!: "set" | "awaiting";

  @ApiProperty({ enum: ["self", "custodial"] })
  custody!: "self" | "custodial";

  @ApiProperty({ type: RoleStatusDto, isArray: true })
  roles!: RoleStatusDto[];

  @ApiProperty({ type: String, isArray: true, description: "GS1 Company Prefixes it owns" })
  companyPrefixes!: string[];

  @ApiProperty({ type: String, isArray: true, description: "GLNs of its sites besides its own GLN" })
  locations!: string[];

  @ApiProperty()
  createdAt!: string;
}

export class ApiKeyDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ description: "The key itself; shown once, store it now" })
  token!: string;
}

export class CreatedParticipantDto extends ParticipantDto {
  @ApiProperty({ type: ApiKeyDto })
  apiKey!: ApiKeyDto;
}
