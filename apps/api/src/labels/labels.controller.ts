import { Controller, Get, Param, Query, Req, Res } from "@nestjs/common";
import { ApiOperation, ApiProduces, ApiTags } from "@nestjs/swagger";
import type { Request, Response } from "express";
import { DomainError, isDomainError } from "#common";
import { parseLabelPath, parseSerialPath } from "#digital-link";
import { labelPng, labelSvg, qrPng, qrSvg } from "#labels";
import { Public } from "../auth/access.decorator.js";
import { securePageHeaders } from "../common/page-security.js";
import { baseUrlOf } from "../common/urls.js";
import { languageOf, type Lang } from "./i18n.js";
import { renderJourneyPage, renderNotFoundPage, renderProductPage } from "./journey-page.js";
import { JourneyService, type JourneyView, type ProductView } from "./journey.service.js";
import { linksetOf } from "./linkset.js";
import { assetForFile } from "./static-assets.js";

const LINKSET_TYPE = "application/linkset+json";

@ApiTags("labels")
@Controller()
export class LabelsController {
  constructor(private readonly journeys: JourneyService) {}

  @Get("01/:gtin/10/:lot")
  @Public()
  @ApiOperation({
    summary:
      "GS1 Digital Link resolver: the journey page for browsers, JSON for machines (Accept), the GS1 linkset with ?linkType=all",
  })
  @ApiProduces("text/html", "application/json", LINKSET_TYPE)
  async resolve(
    @Param("gtin") gtin: string,
    @Param("lot") lot: string,
    @Query("linkType") linkType: string | undefined,
    @Query("lang") langQuery: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const wantsLinkset = linkType === "all" || request.accepts(["text/html", LINKSET_TYPE]) === LINKSET_TYPE;
    const format = wantsLinkset ? "linkset" : request.accepts(["text/html", "application/json", "application/ld+json"]);
    const lang = languageOf(langQuery, request.get("accept-language"));
    const pageUrl = `${baseUrlOf(request)}${request.originalUrl}`;
    response.vary("Accept").vary("Accept-Language");
    let view: JourneyView;
    try {
      view = await this.journeys.journey(gtin, lot, baseUrlOf(request));
    } catch (error) {
      codeProblemPage(error, format === "text/html", response, lang, pageUrl, { gtin, lot });
      return;
    }
    response.links({ linkset: view.links.linkset });
    if (format === "linkset") {
      response.type(LINKSET_TYPE).send(JSON.stringify(linksetOf(view, pageUrl)));
    } else if (format === "text/html") {
      securePage(response, view.verification.rpcUrl);
      response.type("html").send(renderJourneyPage(view, lang, pageUrl));
    } else {
      response.json(view);
    }
  }

  @Get("01/:gtin/10/:lot/21/:serial")
  @Public()
  @ApiOperation({
    summary: "A serial-qualified Digital Link: 308 to its lot's link (the lot's page answers for each of its items)",
  })
  @ApiProduces("text/html", "application/json")
  serial(
    @Param("gtin") gtin: string,
    @Param("lot") lot: string,
    @Param("serial") serial: string,
    @Query("lang") langQuery: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    const lang = languageOf(langQuery, request.get("accept-language"));
    try {
      const key = parseLabelPath(gtin, lot);
      parseSerialPath(serial);
      const query = request.originalUrl.includes("?")
        ? request.originalUrl.slice(request.originalUrl.indexOf("?"))
        : "";
      response.redirect(308, `/01/${key.gtin}/10/${encodeURIComponent(key.lot)}${query}`);
    } catch (error) {
      const html = request.accepts(["text/html", "application/json"]) === "text/html";
      codeProblemPage(error, html, response, lang, `${baseUrlOf(request)}${request.originalUrl}`, { gtin, lot });
    }
  }

  @Get("01/:gtin")
  @Public()
  @ApiOperation({
    summary: "A GTIN-only Digital Link: the product's page (its newest lots and the latest claim), JSON for machines",
  })
  @ApiProduces("text/html", "application/json")
  async product(
    @Param("gtin") gtin: string,
    @Query("lang") langQuery: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const html = request.accepts(["text/html", "application/json", "application/ld+json"]) === "text/html";
    const lang = languageOf(langQuery, request.get("accept-language"));
    const pageUrl = `${baseUrlOf(request)}${request.originalUrl}`;
    response.vary("Accept").vary("Accept-Language");
    let view: ProductView;
    try {
      view = await this.journeys.product(gtin, baseUrlOf(request));
    } catch (error) {
      codeProblemPage(error, html, response, lang, pageUrl, { gtin });
      return;
    }
    if (!html) {
      response.json(view);
      return;
    }
    securePage(response, null);
    response.type("html").send(renderProductPage(view, lang, pageUrl));
  }

  @Get("labels/:gtin/:file")
  @Public()
  @ApiOperation({
    summary:
      "The lot's QR code (GS1 Digital Link, error correction M, quiet zone) as {lot}.svg or {lot}.png; ?layout=label for the printable label (QR + product name + footprint per unit + status)",
  })
  @ApiProduces("image/svg+xml", "image/png")
  async label(
    @Param("gtin") gtin: string,
    @Param("file") file: string,
    @Query("layout") layout: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const match = /^(.+)\.(svg|png)$/.exec(file);
    if (match === null) {
      throw new DomainError("LABEL.FORMAT", "invalid", "Ask for {lot}.svg or {lot}.png", { file });
    }
    const [, lot = "", format] = match;
    if (layout !== undefined && layout !== "label" && layout !== "qr") {
      throw new DomainError("LABEL.LAYOUT", "invalid", "layout is qr (default) or label", { layout });
    }
    response.setHeader("cache-control", "no-cache");
    if (layout === "label") {
      const view = await this.journeys.journey(gtin, lot, baseUrlOf(request));
      const content = {
        uri: view.uri,
        productName: view.product?.name ?? { en: `GTIN ${view.gtin}`, zh: `GTIN ${view.gtin}` },
        footprintPerUnitKg: view.claim?.display.footprint ?? view.footprint?.perUnitKg.toFixed(2) ?? "—",
        per: view.footprint?.declaredUnit.unit === "KGM" ? ("kg" as const) : ("unit" as const),
        status: view.claim?.status ?? "measured",
      };
      if (format === "svg") response.type("image/svg+xml").send(labelSvg(content));
      else response.type("image/png").send(await labelPng(content));
      return;
    }
    const uri = await this.journeys.qrUri(gtin, lot, baseUrlOf(request));
    if (format === "svg") response.type("image/svg+xml").send(qrSvg(uri));
    else response.type("image/png").send(qrPng(uri));
  }

  @Get("assets/:file")
  @Public()
  @ApiOperation({
    summary:
      "The journey page's script and style under content-hashed names (cached for a year), precompressed (brotli, gzip)",
  })
  @ApiProduces("text/javascript", "text/css")
  asset(@Param("file") file: string, @Req() request: Request, @Res() response: Response): void {
    const found = assetForFile(file);
    if (found === undefined) {
      throw new DomainError("LABEL.ASSET_NOT_FOUND", "not-found", `There is no asset ${file}`, { file });
    }
    const { asset, immutable } = found;
    const encoding = request.acceptsEncodings("br", "gzip", "identity");
    const body = encoding === "br" ? asset.br : encoding === "gzip" ? asset.gzip : asset.identity;
    response.vary("Accept-Encoding");
    response.setHeader("cache-control", immutable ? "public, max-age=31536000, immutable" : "public, max-age=300");
    response.setHeader("etag", `"${asset.hash}${encoding === "br" || encoding === "gzip" ? `-${encoding}` : ""}"`);
    if (encoding === "br" || encoding === "gzip") response.setHeader("content-encoding", encoding);
    response.type(asset.type).send(body);
  }
}

/**
 * A code the resolver cannot answer: browsers get a page saying what was wrong with it in the consumer's language;
 * machines (and anything but a bad code or an unknown product) the problem document, through the filter.
 */
function codeProblemPage(
  error: unknown,
  html: boolean,
  response: Response,
  lang: Lang,
  pageUrl: string,
  key: { gtin?: string; lot?: string },
): void {
  if (!html || !isDomainError(error) || !["not-found", "invalid"].includes(error.kind)) throw error;
  securePage(response, null);
  response
    .status(error.kind === "not-found" ? 404 : 400)
    .type("html")
    .send(renderNotFoundPage(lang, pageUrl, error, key));
}

/** A strict CSP: our own script and style only, and the ledger's public RPC for Verify; nothing third-party. */
function securePage(response: Response, rpcUrl: string | null): void {
  securePageHeaders(response, rpcUrl === null ? [] : [new URL(rpcUrl).origin]);
}
