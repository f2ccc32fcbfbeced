import { Body, Controller, Get, HttpCode, Param, Post, Put } from "@nestjs/common";
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from "@nestjs/swagger";
import type { ProductRecord, ProductRevisionRecord } from "#database";
import { AdminOnly, CurrentPrincipal, Public } from "../auth/access.decorator.js";
import type { Principal } from "../auth/principal.js";
import { lotIdOf } from "../common/urls.js";
import { HoldingDto, ProductDto, RetireDto } from "./offsets.dto.js";
import { OffsetService, type HoldingView, type RetirementView } from "./offset.service.js";

const participantOf = (principal: Principal) => (principal.kind === "participant" ? principal.participant : undefined);

@ApiTags("offsets")
@Controller()
export class OffsetsController {
  constructor(private readonly offsets: OffsetService) {}

  @Put("products/:gtin")
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      "Name or rename a product (GTIN) as labels and the journey page show it, zh and en: its brand owner (the " +
      "participant that registered its GS1 Company Prefix) or the administrator; every change is kept",
  })
  saveProduct(
    @Param("gtin") gtin: string,
    @Body() body: ProductDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ProductRecord> {
    return this.offsets.saveProduct(gtin, body, participantOf(principal));
  }

  @Get("products/:gtin")
  @Public()
  product(@Param("gtin") gtin: string): Promise<ProductRecord> {
    return this.offsets.product(gtin);
  }

  @Get("products/:gtin/history")
  @Public()
  @ApiOperation({ summary: "Every name and description the product was given, by whom and when" })
  productHistory(@Param("gtin") gtin: string): Promise<ProductRevisionRecord[]> {
    return this.offsets.productHistory(gtin);
  }

  @Post("offsets/holdings")
  @HttpCode(201)
  @AdminOnly()
  @ApiBearerAuth()
  @ApiOperation({
    summary: "Register carbon credits held on a registry (Verra, Gold Standard, ACR, CAR, CDM serial), validated",
  })
  addHolding(@Body() body: HoldingDto, @CurrentPrincipal() principal: Principal): Promise<HoldingView> {
    return this.offsets.addHolding(body, participantOf(principal));
  }

  @Get("offsets/holdings")
  @AdminOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: "Credit holdings with what is retired and what is left" })
  holdings(): Promise<HoldingView[]> {
    return this.offsets.holdings();
  }

  @Post("lots/:gtin/:lot/offsets")
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      "Retire credits for the lot on OffsetRegistry (a producer of the lot or the administrator); a serial is never retired twice",
  })
  @ApiCreatedResponse({
    description: "The retirement with its serials and transaction (status pending while the chain is unreachable)",
  })
  retire(
    @Param("gtin") gtin: string,
    @Param("lot") lot: string,
    @Body() body: RetireDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RetirementView> {
    return this.offsets.retire(lotIdOf(gtin, lot), body, participantOf(principal));
  }

  @Get("lots/:gtin/:lot/offsets")
  @Public()
  @ApiOperation({ summary: "Credits retired for the lot, with serials and transactions" })
  retirements(@Param("gtin") gtin: string, @Param("lot") lot: string): Promise<RetirementView[]> {
    return this.offsets.retirementsOfLot(lotIdOf(gtin, lot));
  }
}
