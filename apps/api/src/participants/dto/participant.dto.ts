import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { Type } from "class-transformer";
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsEthereumAddress,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from "class-validator";
import { PARTICIPANT_ROLES, type ParticipantRole } from "#capture";

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
  @ValidateNested()
  @Type(() => IdentifierDto)
  identifier!: IdentifierDto;

  @ApiProperty({ type: DisplayNameDto })
  @ValidateNested()
  @Type(() => DisplayNameDto)
  displayName!: DisplayNameDto;

  @ApiPropertyOptional({
    example: "CN",
    description:
      "ISO 3166-1 alpha-2 country of the participant's sites: the region for emission factors where an activity names none",
  })
  @IsOptional()
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
    description: "Required for self custody",
  })
  @IsOptional()
  @IsEthereumAddress()
  address?: string;
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
  @IsOptional()
  @IsString()
  @Length(1, 100)
  label?: string;
}

export class RoleStatusDto {
  @ApiProperty({ enum: PARTICIPANT_ROLES })
  role!: string;

  @ApiProperty({ enum: ["pending", "granted", "failed"], description: "Whether the TraceLedger has granted the role" })
  chainStatus!: string;

  @ApiPropertyOptional({ nullable: true })
  txHash!: string | null;

  @ApiPropertyOptional({ nullable: true })
  error!: string | null;
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

  @ApiProperty({ nullable: true, example: "CN" })
  country!: string | null;

  @ApiProperty({ description: "Address of the key that signs this participant's events" })
  address!: string;

  @ApiProperty({ enum: ["self", "custodial"] })
  custody!: "self" | "custodial";

  @ApiProperty({ type: RoleStatusDto, isArray: true })
  roles!: RoleStatusDto[];

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
