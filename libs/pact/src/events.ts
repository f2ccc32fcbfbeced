import { Ajv, type ErrorObject } from "ajv";
import formatsModule from "ajv-formats";
import { DomainError } from "#common";
import type { PactProductFootprint } from "./product-footprint.js";

const PREFIX = "org.wbcsd.pact.ProductFootprint.";

export const PACT_EVENT_TYPES = {
  published: `${PREFIX}PublishedEvent.3`,
  requestCreated: `${PREFIX}RequestCreatedEvent.3`,
  requestFulfilled: `${PREFIX}RequestFulfilledEvent.3`,
  requestRejected: `${PREFIX}RequestRejectedEvent.3`,
} as const;

export type PactEventType = (typeof PACT_EVENT_TYPES)[keyof typeof PACT_EVENT_TYPES];

/** A CloudEvent (JSON, structured mode) of the PACT v3 Action Events. */
export interface PactCloudEvent {
  readonly type: PactEventType;
  readonly specversion: "1.0";
  readonly id: string;
  readonly source: string;
  readonly time: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface PactError {
  readonly code: "BadRequest" | "AccessDenied" | "TokenExpired" | "NotFound" | "InternalError" | "NotImplemented";
  readonly message: string;
}

const stringList = { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 };
const dateTime = { type: "string", format: "date-time" };
const criteria = {
  productId: stringList,
  companyId: stringList,
  geography: stringList,
  classification: stringList,
  validOn: dateTime,
  validAfter: dateTime,
  validBefore: dateTime,
  status: { type: "string" },
  comment: { type: "string" },
};

/** What CarbonTrace checks of an incoming event (CloudEvents 1.0 and the PACT v3 event data). */
const EVENT_SCHEMA = {
  type: "object",
  required: ["type", "specversion", "id", "source", "time", "data"],
  properties: {
    type: { enum: Object.values(PACT_EVENT_TYPES) },
    specversion: { const: "1.0" },
    id: { type: "string", minLength: 1, maxLength: 500 },
    source: { type: "string", minLength: 1, maxLength: 2000 },
    time: dateTime,
    data: { type: "object" },
  },
  allOf: [
    {
      if: { properties: { type: { const: PACT_EVENT_TYPES.published } } },
      then: {
        properties: {
          data: {
            type: "object",
            required: ["pfIds"],
            properties: { pfIds: { type: "array", minItems: 1, items: { type: "string", format: "uuid" } } },
          },
        },
      },
    },
    {
      if: { properties: { type: { const: PACT_EVENT_TYPES.requestCreated } } },
      then: { properties: { data: { type: "object", properties: criteria } } },
    },
    {
      if: { properties: { type: { const: PACT_EVENT_TYPES.requestFulfilled } } },
      then: {
        properties: {
          data: {
            type: "object",
            required: ["requestEventId", "pfs"],
            properties: {
              requestEventId: { type: "string", minLength: 1 },
              pfs: { type: "array", minItems: 1, items: { type: "object", required: ["id"] } },
            },
          },
        },
      },
    },
    {
      if: { properties: { type: { const: PACT_EVENT_TYPES.requestRejected } } },
      then: {
        properties: {
          data: {
            type: "object",
            required: ["requestEventId", "error"],
            properties: {
              requestEventId: { type: "string", minLength: 1 },
              error: {
                type: "object",
                required: ["code", "message"],
                properties: { code: { type: "string" }, message: { type: "string" } },
              },
            },
          },
        },
      },
    },
  ],
} as const;

function compileEventValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  formatsModule.default(ajv, ["date-time", "uuid"]);
  return ajv.compile(EVENT_SCHEMA);
}

/** Compiled on first use, not at import: most processes never receive a PACT event (compiling takes ~0.3 s). */
let eventValidator: ReturnType<typeof compileEventValidator> | undefined;

/** Checks an incoming event; PACT.BAD_EVENT lists what is wrong. */
export function parsePactEvent(body: unknown): PactCloudEvent {
  eventValidator ??= compileEventValidator();
  const validateEvent = eventValidator;
  if (!validateEvent(body)) {
    const errors = (validateEvent.errors ?? []).filter((error) => error.keyword !== "if").map(describe);
    throw new DomainError("PACT.BAD_EVENT", "invalid", `The event is not a valid PACT v3 event: ${errors.join("; ")}`, {
      errors,
    });
  }
  return body;
}

function describe(error: ErrorObject): string {
  return `${error.instancePath === "" ? "/" : error.instancePath} ${error.message ?? error.keyword}`;
}

/** The answer to a PF Request Event that found footprints. */
export function requestFulfilledEvent(input: {
  readonly id: string;
  readonly source: string;
  readonly time: Date;
  readonly requestEventId: string;
  readonly pfs: ReadonlyArray<PactProductFootprint | Readonly<Record<string, unknown>>>;
}): PactCloudEvent {
  return {
    type: PACT_EVENT_TYPES.requestFulfilled,
    specversion: "1.0",
    id: input.id,
    source: input.source,
    time: input.time.toISOString(),
    data: { requestEventId: input.requestEventId, pfs: input.pfs },
  };
}

/** The answer to a PF Request Event that cannot be fulfilled. */
export function requestRejectedEvent(input: {
  readonly id: string;
  readonly source: string;
  readonly time: Date;
  readonly requestEventId: string;
  readonly error: PactError;
}): PactCloudEvent {
  return {
    type: PACT_EVENT_TYPES.requestRejected,
    specversion: "1.0",
    id: input.id,
    source: input.source,
    time: input.time.toISOString(),
    data: { requestEventId: input.requestEventId, error: input.error },
  };
}
