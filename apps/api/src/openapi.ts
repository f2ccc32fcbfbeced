import type { INestApplication } from "@nestjs/common";
import { ModulesContainer, Reflector } from "@nestjs/core";
import { DECORATORS, DocumentBuilder, SwaggerModule, type OpenAPIObject } from "@nestjs/swagger";
import { ACCESS_KEY } from "./auth/access.decorator.js";
import type { Access } from "./auth/principal.js";
import { toOpenApi30Document } from "./common/openapi-dialect.js";
import { declareErrorResponses, type RouteFacts } from "./common/openapi-errors.js";

/**
 * OpenAPI 3 description at /docs/openapi.json and Swagger UI at /docs, served from our own assets. The document is
 * built on its first request, not at every start: scanning every controller took 0.12 s of a start's 3 s of CPU
 * (2026-12-06), and few processes are ever asked for it.
 */
export function setupOpenApi(app: INestApplication, version: string): void {
  SwaggerModule.setup("docs", app, () => openApiDocument(app, version), {
    jsonDocumentUrl: "docs/openapi.json",
    yamlDocumentUrl: "docs/openapi.yaml",
  });
}

/**
 * The document as @nestjs/swagger builds it from the decorators, then finished in one place: schemas the libs
 * wrote in JSON Schema 2020-12 restated in OpenAPI 3.0's dialect, and the problem+json answers (and the security
 * requirement) of every route derived from the same @Allow metadata the AuthGuard enforces.
 */
export function openApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const generated = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion("3.0.3")
      .setTitle("CarbonTrace API")
      .setDescription(
        "Signed EPCIS 2.0 supply-chain events, IPFS evidence, Merkle anchors on an EVM ledger, product carbon " +
          "footprints (PACT v3) and GS1 Digital Link labels. Errors are RFC 9457 problem+json with a stable `code`.",
      )
      .setVersion(version)
      .setLicense("Apache-2.0", "https://www.apache.org/licenses/LICENSE-2.0")
      .addBearerAuth({ type: "http", scheme: "bearer", description: "Participant API key (ctk_…) or the admin key" })
      .addBasicAuth({ type: "http", scheme: "basic", description: "PACT client credentials (client_id:secret)" })
      .build(),
  );
  const facts = routeFacts(app);
  return declareErrorResponses(
    toOpenApi30Document(generated),
    (operationId): RouteFacts => (operationId === undefined ? undefined : facts.get(operationId)) ?? UNKNOWN_ROUTE,
  );
}

const UNKNOWN_ROUTE: RouteFacts = { access: undefined, produces: [] };

/**
 * What each route is, by operation id (`<Controller>_<method>`, @nestjs/swagger's default): its access level read as
 * the AuthGuard reads it (the handler's @Allow, else its controller's, else "authenticated"), and what it produces.
 */
function routeFacts(app: INestApplication): Map<string, RouteFacts> {
  const reflector = new Reflector();
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype;
      if (typeof controller !== "function") continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === "constructor" || typeof handler !== "function") continue;
        const access =
          reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [handler, controller]) ?? "authenticated";
        const produces = reflector.getAllAndOverride<string[] | undefined>(DECORATORS.API_PRODUCES, [
          handler,
          controller,
        ]);
        facts.set(`${controller.name}_${name}`, { access, produces: produces ?? [] });
      }
    }
  }
  return facts;
}
