import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { Type } from "class-transformer";
import { IsIn, IsObject, IsString, IsUUID, Length, Matches, ValidateIf, ValidateNested } from "class-validator";
import { REGISTRIES, type Registry } from "#offsets";
import { Optional, OptionalObject } from "../common/validation.js";

export class LocalizedNameDto {
  @ApiProperty({ example: "rPET storage box 12 L" })
  @IsString()
  @Length(1, 200)
  en!: string;

  @ApiProperty({ example: "rPET 收纳盒 12 升" })
  @IsString()
  @Length(1, 200)
  zh!: string;
}

export class LocalizedTextDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 2000)
  en?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 2000)
  zh?: string;
}

export class ProductDto {
  @ApiProperty({ type: LocalizedNameDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedNameDto)
  name!: LocalizedNameDto;

  @ApiPropertyOptional({ type: LocalizedTextDto })
  @OptionalObject()
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  description?: LocalizedTextDto;
}

export class HoldingDto {
  @ApiProperty({
    example: "19381-941412555-941441125-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
    description: "The serial (range) as the registry writes it",
  })
  @IsString()
  @Length(1, 200)
  serial!: string;

  @ApiPropertyOptional({ enum: REGISTRIES, description: "Checked against the serial's format when given" })
  @Optional()
  @IsIn(REGISTRIES)
  registry?: Registry;
}

export class RetireDto {
  @ApiProperty({ description: "The credit holding to retire from" })
  @IsUUID()
  holdingId!: string;

  @ApiPropertyOptional({ example: "2", description: "Number of credits (tonnes); the lowest free serials are taken" })
  @ValidateIf((dto: RetireDto) => dto.serial === undefined)
  @IsString()
  @Matches(/^[1-9][0-9]{0,17}$/, { message: "credits must be a whole number of credits (1 credit = 1 t CO2e)" })
  credits?: string;

  @ApiPropertyOptional({
    description: "Or exactly which serials, in the registry's format (a sub-range of the holding)",
  })
  @Optional()
  @IsString()
  @Length(1, 200)
  serial?: string;

  @ApiProperty({ example: "Buyers of rPET storage box lot L2025-11" })
  @IsString()
  @Length(1, 200)
  beneficiary!: string;

  @ApiPropertyOptional({ example: "Offsetting the cradle-to-gate footprint of the lot" })
  @Optional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}
