import { Controller, Get, Header } from "@nestjs/common";
import { ApiOkResponse, ApiOperation, ApiTags } from "@nestjs/swagger";
import { EXTENSION_CONTEXT, EXTENSION_SCHEMA } from "#capture";
import { Public } from "../auth/access.decorator.js";

/** The published vocabulary of CarbonTrace's EPCIS user extension (see docs/epcis-extension.md). */
@ApiTags("vocabulary")
@Public()
@Controller("ns/epcis")
export class VocabularyController {
  @Get()
  @Header("Content-Type", "application/ld+json")
  @Header("Cache-Control", "public, max-age=86400")
  @ApiOperation({ summary: "JSON-LD context of the `ct:` extension (namespace https://carbontrace.org/ns/epcis/)" })
  @ApiOkResponse({ description: "JSON-LD context" })
  context(): typeof EXTENSION_CONTEXT {
    return EXTENSION_CONTEXT;
  }

  @Get("schema")
  @Header("Cache-Control", "public, max-age=86400")
  @ApiOperation({
    summary: "JSON Schema of the extension's values, in local names (process, activity, evidence, unitMasses)",
  })
  schema(): typeof EXTENSION_SCHEMA {
    return EXTENSION_SCHEMA;
  }
}
