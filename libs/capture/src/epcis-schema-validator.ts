import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";
import { DomainError } from "#common";

// ajv-formats is CommonJS: imported from ESM, its plugin is the module object's `default`.
const addFormats = formatsModule.default;

export interface SchemaProblem {
  readonly path: string;
  readonly problem: string;
}

/**
 * Validates documents against the official GS1 EPCIS 2.0 JSON Schema. It does not compile in ajv's strict mode
 * (it uses keywords and formats loosely), so strict is off; every problem is reported, up to a limit.
 */
export class EpcisSchemaValidator {
  private readonly validate: ValidateFunction;

  constructor(schema: Readonly<Record<string, unknown>>) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    this.validate = ajv.compile(schema);
  }

  /** Throws CAPTURE.SCHEMA_INVALID listing what is wrong and where. */
  check(document: unknown): void {
    if (this.validate(document)) return;
    const problems = relevant(this.validate.errors ?? []);
    throw new DomainError(
      "CAPTURE.SCHEMA_INVALID",
      "invalid",
      `The document does not conform to the EPCIS 2.0 JSON Schema: ${problems
        .slice(0, 3)
        .map((p) => `${p.path} ${p.problem}`)
        .join("; ")}`,
      { errors: problems.slice(0, 50) },
    );
  }
}

/**
 * if/then and anyOf branches report every alternative; the deepest errors say what to fix. A property name the
 * schema does not allow is reported once, by name (ajv also reports why each branch of `propertyNames` refused it,
 * which only buries the name).
 */
function relevant(errors: readonly ErrorObject[]): SchemaProblem[] {
  const concrete = errors.filter(
    (e) =>
      !["if", "anyOf", "oneOf", "allOf"].includes(e.keyword) &&
      (e as { propertyName?: string }).propertyName === undefined,
  );
  const chosen = concrete.length > 0 ? concrete : errors;
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of chosen) {
    const path = error.instancePath === "" ? "/" : error.instancePath;
    const problem = `${error.message ?? error.keyword}${params(error)}`;
    const key = `${path} ${problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path, problem });
  }
  return problems;
}

function params(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  if (typeof p.additionalProperty === "string") return ` (${p.additionalProperty})`;
  if (typeof p.propertyName === "string") return ` (${p.propertyName})`;
  if (Array.isArray(p.allowedValues)) return ` (${p.allowedValues.slice(0, 8).join(", ")})`;
  return "";
}
