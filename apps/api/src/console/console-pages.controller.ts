import { Controller, Get, Query, Req, Res } from "@nestjs/common";
import { ApiExcludeController } from "@nestjs/swagger";
import type { Request, Response } from "express";
import { Public } from "../auth/access.decorator.js";
import { securePageHeaders } from "../common/page-security.js";
import { languageOf } from "../labels/i18n.js";
import { assetUrl } from "../labels/static-assets.js";
import { homePage, joinPage, modelsPage, recordPage, type PageAssets } from "./console-pages.js";

/** The partner console's pages (HTML for people; the API they call is ConsoleController's). */
@ApiExcludeController()
@Controller("console")
export class ConsolePagesController {
  @Get("join")
  @Public()
  join(@Query("lang") lang: unknown, @Req() request: Request, @Res() response: Response): void {
    send(response, joinPage(languageOf(lang, request.get("accept-language")), assets()));
  }

  @Get("record")
  @Public()
  record(@Query("lang") lang: unknown, @Req() request: Request, @Res() response: Response): void {
    send(response, recordPage(languageOf(lang, request.get("accept-language")), assets()));
  }

  @Get("models")
  @Public()
  models(@Query("lang") lang: unknown, @Req() request: Request, @Res() response: Response): void {
    send(response, modelsPage(languageOf(lang, request.get("accept-language")), assets()));
  }

  @Get()
  @Public()
  home(@Query("lang") lang: unknown, @Req() request: Request, @Res() response: Response): void {
    send(response, homePage(languageOf(lang, request.get("accept-language")), assets()));
  }
}

function assets(): PageAssets {
  return { script: assetUrl("consoleScript"), style: assetUrl("consoleStyle"), signing: assetUrl("consoleSigning") };
}

/** Our own script, style and API only; never framed, never cached (the page is the same for everyone anyway). */
function send(response: Response, html: string): void {
  securePageHeaders(response);
  response.setHeader("cache-control", "no-store");
  response.vary("Accept-Language");
  response.type("text/html; charset=utf-8").send(html);
}
