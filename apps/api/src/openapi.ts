import type { INestApplication } from "@nestjs/common";
import { DocumentBuilder, SwaggerModule } from "@nestjs/swagger";

/** OpenAPI 3 description at /docs/openapi.json and Swagger UI at /docs, served from our own assets. */
export function setupOpenApi(app: INestApplication, version: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle("CarbonTrace API")
      .setDescription(
        "Signed EPCIS 2.0 supply-chain events, IPFS evidence, Merkle anchors on an EVM ledger, product carbon " +
          "footprints (PACT v3) and GS1 Digital Link labels. Errors are RFC 9457 problem+json with a stable `code`.",
      )
      .setVersion(version)
      .setLicense("Apache-2.0", "https://www.apache.org/licenses/LICENSE-2.0")
      .addBearerAuth({ type: "http", scheme: "bearer", description: "Participant API key (ctk_…) or the admin key" })
      .build(),
  );
  SwaggerModule.setup("docs", app, document, {
    jsonDocumentUrl: "docs/openapi.json",
    yamlDocumentUrl: "docs/openapi.yaml",
  });
}
