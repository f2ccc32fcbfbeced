import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { Type } from "class-transformer";
import {
  ArrayMaxSize,
  ArrayUnique,
  IsIn,
  IsISO8601,
  IsNumber,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from "class-validator";
import { POLYMER_NAMES, type Polymer } from "#footprint";
import { Optional, OptionalObject } from "../common/validation.js";

export class CarbonContentDto {
  @ApiProperty({ example: 0.5125, description: "kg of fossil carbon per declared unit" })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  fossilKg!: number;

  @ApiPropertyOptional({ example: 0 })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  biogenicKg?: number;

  @ApiPropertyOptional({ example: 0.5125, description: "kg of carbon from recycled material per declared unit" })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  recycledKg?: number;
}

export class PublishFootprintDto {
  @ApiProperty({ example: "rPET storage box 12 L" })
  @IsString()
  @Length(1, 200)
  productNameCompany!: string;

  @ApiProperty({ example: "12-litre storage box injection-moulded from 100 % recycled PET pellets, without lid" })
  @IsString()
  @Length(1, 2000)
  productDescription!: string;

  @ApiPropertyOptional({ example: ["urn:pact:productclassification:un-cpc:36490"], description: "URNs" })
  @Optional()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$/i, { each: true, message: "each classification must be a URN" })
  productClassifications?: string[];

  @ApiPropertyOptional({ description: "Calculation notes for the recipient" })
  @Optional()
  @IsString()
  @Length(1, 5000)
  comment?: string;

  @ApiPropertyOptional({
    enum: POLYMER_NAMES,
    description: "The product's polymer: its carbon content is derived from its mass",
  })
  @Optional()
  @IsIn(POLYMER_NAMES)
  polymer?: Polymer;

  @ApiPropertyOptional({ example: 1, description: "Share (0–1) of the polymer that is recycled, with `polymer`" })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  recycledShare?: number;

  @ApiPropertyOptional({
    type: CarbonContentDto,
    description: "Instead of `polymer`: carbon content per declared unit",
  })
  @OptionalObject()
  @ValidateNested()
  @Type(() => CarbonContentDto)
  carbonContent?: CarbonContentDto;

  @ApiPropertyOptional({
    example: 0.82,
    description: "Mass of one item in kg, if the producing events did not declare it (ct:unitMasses)",
  })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  productMassPerDeclaredUnitKg?: number;

  @ApiPropertyOptional({ example: "2029-12-31T00:00:00Z", description: "Default: three years from publication" })
  @Optional()
  @IsISO8601({ strict: true })
  validityPeriodEnd?: string;
}
