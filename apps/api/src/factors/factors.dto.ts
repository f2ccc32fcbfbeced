import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { Type } from "class-transformer";
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsInt,
  IsNumber,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from "class-validator";
import { Optional } from "../common/validation.js";

export class FactorInputDto {
  @ApiProperty({ example: "DESNZ2026_ELEC_GB", description: "A new, unique id (letters, digits, _ . -)" })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, { message: "id: letters, digits, _ . - (up to 100)" })
  id!: string;

  @ApiProperty({ example: "UK electricity generated 2026" })
  @IsString()
  @Length(1, 500)
  name!: string;

  @ApiProperty({ example: "electricity" })
  @Matches(/^[a-z][a-z0-9_]{0,49}$/, { message: "category: lower-case letters, digits and _" })
  category!: string;

  @ApiProperty({ example: 0.177, description: "The value as the source gives it, in `unit`" })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  value!: number;

  @ApiProperty({ example: "kgCO2e/kWh", description: "<kg|t><CO2e|CO2>/<kWh|tonne|tonne.km|litre|m3|km|…>" })
  @IsString()
  @Length(1, 200)
  unit!: string;

  @ApiProperty({ example: "GB", description: "ISO 3166 country, a grid code such as CN-EC, or GLOBAL" })
  @Matches(/^[A-Za-z0-9-]{2,20}$/)
  region!: string;

  @ApiProperty({ example: 2026 })
  @Type(() => Number)
  @IsInt()
  @Min(1990)
  @Max(2100)
  year!: number;

  @ApiProperty({ example: "UK DESNZ GHG Conversion Factors for Company Reporting 2026" })
  @IsString()
  @Length(1, 1000)
  source!: string;

  @ApiProperty({
    example: "https://www.gov.uk/government/collections/government-conversion-factors-for-company-reporting",
  })
  @IsUrl({ require_protocol: true, protocols: ["https", "http"] })
  sourceUrl!: string;

  @ApiProperty({ example: "Open Government Licence v3.0" })
  @IsString()
  @Length(1, 200)
  licence!: string;

  @ApiPropertyOptional({
    example: "electricity.grid",
    description: "The activity it serves by the factor choice rules; omitted: usable only by naming its id",
  })
  @Optional()
  @IsString()
  activity?: string;

  @ApiPropertyOptional({ description: "Id of a factor this one corrects: newer versions use this one instead" })
  @Optional()
  @IsString()
  supersedes?: string;
}

export class AddFactorsDto {
  @ApiProperty({ example: "DESNZ 2026 conversion factors for UK electricity" })
  @IsString()
  @Length(1, 500)
  description!: string;

  @ApiProperty({ type: FactorInputDto, isArray: true })
  @ArrayNotEmpty()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => FactorInputDto)
  factors!: FactorInputDto[];
}

export class FactorSearchDto {
  @ApiPropertyOptional({ description: "Library version (default: the latest)" })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;

  @ApiPropertyOptional({ example: "electricity" })
  @Optional()
  @IsString()
  category?: string;

  @ApiPropertyOptional({ example: "CN" })
  @Optional()
  @IsString()
  region?: string;

  @ApiPropertyOptional({ example: 2023 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2200)
  year?: number;

  @ApiPropertyOptional({ example: "electricity.grid" })
  @Optional()
  @IsString()
  activity?: string;

  @ApiPropertyOptional({ example: "HGV diesel", description: "Words that must all occur in id, name or source" })
  @Optional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ example: 50, description: "1–500, default 100" })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: "The `next` cursor of the previous page" })
  @Optional()
  @IsString()
  after?: string;
}
