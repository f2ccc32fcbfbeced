import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { isDomainError } from "#common";
import {
  BIZ_STEPS,
  BUSINESS_TRANSACTION_TYPES,
  COMPONENTS,
  DISPOSITIONS,
  ERROR_REASONS,
  MEASUREMENT_TYPES,
  SENSOR_ALERTS,
  SOURCE_DESTINATION_TYPES,
  type Vocabulary,
} from "./cbv-vocabulary.js";
import { canonicalDigitalLink } from "./digital-link.js";
import { eventHashesOfDocument, preHashesOfDocument } from "./document.js";
import { epcToDigitalLink } from "./epc-to-digital-link.js";
import { digestOfEventHash, eventHashOf, preHashOf } from "./event-hash.js";
import { gs1CheckDigit } from "./gs1-check-digit.js";
import { namespacesOf } from "./namespaces.js";
import { canonicalNumber } from "./number-format.js";
import { normaliseTimestamp } from "./timestamp.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** The vectors of the reference implementation, copied with their MIT licence (test/fixtures/epcis-event-hash). */
const VECTORS = join(REPO_ROOT, "test", "fixtures", "epcis-event-hash");
const EXAMPLES = join(VECTORS, "examples");

type Json = Record<string, unknown>;

function errorCodeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isDomainError(error) ? error.code : `not a DomainError: ${String(error)}`;
  }
  return undefined;
}

function sha256Uri(text: string): string {
  return `ni:///sha-256;${createHash("sha256").update(text, "utf8").digest("hex")}?ver=CBV2.0`;
}

const CT = { ct: "https://carbontrace.org/ns/epcis/" };

/** A shipping event written by hand; its pre-hash string below is derived by hand from the rules. */
function shippingEvent(): Json {
  return {
    type: "ObjectEvent",
    eventTime: "2024-05-06T10:15:30.1234+02:00",
    eventTimeZoneOffset: "+02:00",
    epcList: ["urn:epc:id:sgtin:4012345.011111.2", "urn:epc:id:sgtin:4012345.011111.10"],
    action: "OBSERVE",
    bizStep: "shipping",
    disposition: "in_transit",
    readPoint: { id: "urn:epc:id:sgln:4012345.00011.0" },
    bizTransactionList: [{ type: "po", bizTransaction: "urn:epcglobal:cbv:bt:4012345000009:PO-1" }],
    "ct:batchNote": "first",
  };
}

const SHIPPING_PRE_HASH =
  "eventType=ObjectEvent" +
  "eventTime=2024-05-06T08:15:30.123Z" +
  "eventTimeZoneOffset=+02:00" +
  "epcListepc=https://id.gs1.org/01/04012345111118/21/10epc=https://id.gs1.org/01/04012345111118/21/2" +
  "action=OBSERVE" +
  "bizStep=https://ref.gs1.org/cbv/BizStep-shipping" +
  "disposition=https://ref.gs1.org/cbv/Disp-in_transit" +
  "readPointid=https://id.gs1.org/414/4012345000115" +
  "bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:epcglobal:cbv:bt:4012345000009:PO-1" +
  "{https://carbontrace.org/ns/epcis/}batchNote=first";

/** The same object with its keys (and those of nested objects) in reverse order, and its arrays reversed. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed).reverse();
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, item]) => [key, reversed(item)]),
    );
  }
  return value;
}

describe("preHashOf / eventHashOf", () => {
  it("builds the pre-hash string in canonical order, values canonicalised, extensions last", () => {
    expect(preHashOf(shippingEvent(), CT)).toBe(SHIPPING_PRE_HASH);
  });

  it("hashes the UTF-8 pre-hash string with sha-256 into an ni URI", () => {
    expect(eventHashOf(shippingEvent(), CT)).toBe(sha256Uri(SHIPPING_PRE_HASH));
    expect(eventHashOf({ type: "ObjectEvent", action: "OBSERVE", "ct:note": "Grüße" }, CT)).toBe(
      sha256Uri("eventType=ObjectEventaction=OBSERVE{https://carbontrace.org/ns/epcis/}note=Grüße"),
    );
  });

  it("does not depend on the order of properties or of list entries", () => {
    expect(eventHashOf(reversed(shippingEvent()) as Json, CT)).toBe(eventHashOf(shippingEvent(), CT));
  });

  it("changes when any hashed field changes", () => {
    const original = eventHashOf(shippingEvent(), CT);
    const variants: Json[] = [
      { ...shippingEvent(), disposition: "in_progress" },
      { ...shippingEvent(), epcList: ["urn:epc:id:sgtin:4012345.011111.3"] },
      { ...shippingEvent(), eventTime: "2024-05-06T10:15:30.124+02:00" },
      { ...shippingEvent(), "ct:batchNote": "second" },
      { ...shippingEvent(), "ct:extra": 1 },
      { ...shippingEvent(), readPoint: { id: "urn:epc:id:sgln:4012345.00011.1" } },
    ];
    for (const variant of variants) expect(eventHashOf(variant, CT)).not.toBe(original);
  });

  it("ignores eventID, recordTime, errorDeclaration and comments", () => {
    const withBookkeeping = {
      ...shippingEvent(),
      eventID: "ni:///sha-256;00?ver=CBV2.0",
      recordTime: "2024-05-07T00:00:00Z",
      errorDeclaration: { declarationTime: "2024-05-08T00:00:00Z", reason: "incorrect_data" },
      "rdfs:comment": "a remark",
    };
    expect(eventHashOf(withBookkeeping, CT)).toBe(eventHashOf(shippingEvent(), CT));
  });

  it("treats bare CBV strings, CBV 1.x URNs and web URIs alike", () => {
    const spellings = ["shipping", "urn:epcglobal:cbv:bizstep:shipping", "https://ref.gs1.org/cbv/BizStep-shipping"];
    const hashes = spellings.map((bizStep) => eventHashOf({ ...shippingEvent(), bizStep }, CT));
    expect(new Set(hashes).size).toBe(1);
  });

  it("treats EPC URIs and (custom-domain) Digital Link URIs of the same object alike", () => {
    const urn = { type: "ObjectEvent", action: "OBSERVE", epcList: ["urn:epc:id:sscc:4012345.0000000333"] };
    const link = { ...urn, epcList: ["https://example.com/sscc/040123450000003338?linkType=all"] };
    expect(eventHashOf(link)).toBe(eventHashOf(urn));
  });

  it("normalises time zones, precision and numbers", () => {
    const event = {
      type: "ObjectEvent",
      eventTime: "2020-01-14T00:00:00+01:00",
      action: "ADD",
      quantityList: [{ epcClass: "urn:epc:class:lgtin:4012345.012345.998877", quantity: 452.0, uom: "KGM" }],
    };
    const same = {
      ...event,
      eventTime: "2020-01-13T23:00:00.000Z",
      quantityList: [{ uom: "KGM", quantity: "452", epcClass: "https://id.gs1.org/01/04012345123456/10/998877" }],
    };
    expect(eventHashOf(same)).toBe(eventHashOf(event));
    expect(preHashOf(event)).toContain("quantityListquantityElementepcClass=https://id.gs1.org/01/04012345123456");
  });

  it("expands user extension keys by namespace IRI, whatever the prefix", () => {
    const event = { type: "ObjectEvent", action: "OBSERVE", "ct:batchNote": "x" };
    const renamed = { type: "ObjectEvent", action: "OBSERVE", "carbon:batchNote": "x" };
    expect(eventHashOf(renamed, { carbon: CT.ct })).toBe(eventHashOf(event, CT));
    expect(preHashOf({ ...event, "@context": [CT] })).toBe(preHashOf(event, CT));
  });

  it("knows the EPCIS context's own prefixes without the document repeating them", () => {
    const event = {
      type: "ObjectEvent",
      action: "OBSERVE",
      sensorElementList: [{ sensorReport: [{ type: "gs1:Temperature", value: 4.5, uom: "CEL" }] }],
    };
    expect(preHashOf(event)).toContain("sensorReporttype=https://gs1.org/voc/Temperaturevalue=4.5uom=CEL");
    expect(eventHashOf(event)).toBe(eventHashOf({ ...event, "@context": [{ gs1: "https://gs1.org/voc/" }] }));
  });

  it("takes keys named like Object.prototype members as plain data", () => {
    const event = JSON.parse(
      '{"type":"ObjectEvent","action":"OBSERVE","__proto__":{"a":"1"},"constructor:x":"2","@context":[{"__proto__":"urn:p:"}]}',
    ) as Json;
    expect(preHashOf(event, { constructor: "urn:c:" })).toBe(
      "eventType=ObjectEventaction=OBSERVE__proto__a=1{urn:c:}x=2",
    );
  });

  it("rejects what is no EPCIS event", () => {
    expect(errorCodeOf(() => preHashOf(["ObjectEvent"] as unknown as Json))).toBe("EPCIS.INVALID_EVENT");
    expect(errorCodeOf(() => preHashOf({ type: "PartyEvent", action: "ADD" }))).toBe("EPCIS.INVALID_EVENT");
    expect(errorCodeOf(() => preHashOf({ action: "ADD" }))).toBe("EPCIS.INVALID_EVENT");
    expect(errorCodeOf(() => eventHashOf({ type: "ObjectEvent", epcList: ["urn:epc:id:sgtin:4012345.0111.1"] }))).toBe(
      "EPCIS.INVALID_EPC",
    );
  });
});

describe("eventHashesOfDocument", () => {
  const event = { ...shippingEvent(), "ct:storedHash": "ni:///sha-256;ab?ver=CBV2.0" };
  const context = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", CT];

  it("hashes the events of an EPCISDocument and of an EPCISQueryDocument in document order", () => {
    const events = [shippingEvent(), { ...shippingEvent(), disposition: "in_progress" }];
    const expected = events.map((item) => eventHashOf(item, CT));
    const document = { "@context": context, type: "EPCISDocument", epcisBody: { eventList: events } };
    const queryDocument = {
      "@context": context,
      type: "EPCISQueryDocument",
      epcisBody: { queryResults: { queryName: "SimpleEventQuery", resultsBody: { eventList: events } } },
    };
    expect(eventHashesOfDocument(document)).toEqual(expected);
    expect(eventHashesOfDocument(queryDocument)).toEqual(expected);
  });

  it("leaves out the fields the document lists under the repository's ignoreFields", () => {
    const repository = { "repository-x": "https://repository-x.example.com/" };
    const document = {
      "@context": [...context, repository],
      type: "EPCISDocument",
      "repository-x:ignoreFields": ["ct:storedHash"],
      epcisBody: { eventList: [event] },
    };
    expect(eventHashesOfDocument(document)).toEqual([eventHashOf(shippingEvent(), CT)]);
  });

  it("rejects documents without events", () => {
    expect(errorCodeOf(() => eventHashesOfDocument("{}"))).toBe("EPCIS.INVALID_DOCUMENT");
    expect(errorCodeOf(() => eventHashesOfDocument({ epcisBody: {} }))).toBe("EPCIS.INVALID_DOCUMENT");
  });
});

describe("digestOfEventHash", () => {
  const hex = "6ae96341e0acc6d7a261364751f60e68278a81cdf51da0abb6b4e617014e39d7";

  it("gives the sha-256 digest as 0x-prefixed lowercase hex", () => {
    expect(digestOfEventHash(`ni:///sha-256;${hex}?ver=CBV2.0`)).toBe(`0x${hex}`);
    expect(digestOfEventHash(`ni:///sha-256;${hex.toUpperCase()}?ver=CBV2.0`)).toBe(`0x${hex}`);
    const hash = eventHashOf(shippingEvent(), CT);
    expect(digestOfEventHash(hash)).toBe(`0x${hash.slice("ni:///sha-256;".length, -"?ver=CBV2.0".length)}`);
  });

  it("rejects anything else", () => {
    for (const bad of [
      `ni:///sha-256;${hex}`,
      `ni:///sha-384;${hex}?ver=CBV2.0`,
      `ni:///sha-256;${hex}0?ver=CBV2.0`,
      hex,
    ]) {
      expect(errorCodeOf(() => digestOfEventHash(bad))).toBe("EPCIS.INVALID_EVENT_HASH");
    }
  });
});

describe("EPC URI → GS1 Digital Link URI", () => {
  it.each([
    ["urn:epc:id:sgtin:4012345.011111.9876", "01/04012345111118/21/9876"],
    ["urn:epc:id:sgtin:0614141.107346.2017", "01/10614141073464/21/2017"],
    ["urn:epc:id:sgtin:061414.1073460.ABC!(x)", "01/10614140734601/21/ABC%21%28x%29"],
    ["urn:epc:id:sgtin:012345678901.0.1", "01/00123456789012/21/1"],
    ["urn:epc:id:sscc:4012345.0000000333", "00/040123450000003338"],
    ["urn:epc:id:sscc:012345678901.12345", "00/101234567890123459"],
    ["urn:epc:id:sgln:4012345.00011.987", "414/4012345000115/254/987"],
    ["urn:epc:id:sgln:4012345.00011.0", "414/4012345000115"],
    ["urn:epc:id:sgln:012345678901..5", "414/0123456789012/254/5"],
    ["urn:epc:id:grai:0614141.12345.ABC:1", "8003/00614141123452ABC%3A1"],
    ["urn:epc:id:giai:4000001.111", "8004/4000001111"],
    ["urn:epc:id:gsrn:4012345.0000000001", "8018/401234500000000012"],
    ["urn:epc:id:gsrnp:4012345.0000000001", "8017/401234500000000012"],
    ["urn:epc:id:gdti:4012345.55555.1234", "253/40123455555541234"],
    ["urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345", "8010/06141415PQ7%2FZ43/8011/12345"],
    ["urn:epc:id:sgcn:4012345.67890.04711", "255/401234567890104711"],
    ["urn:epc:id:ginc:0614141.xyz3311cba", "401/0614141xyz3311cba"],
    ["urn:epc:id:gsin:0614141.123456789", "402/06141411234567890"],
    ["urn:epc:id:itip:4012345.012345.01.02.987", "8006/040123451234560102/21/987"],
    ["urn:epc:id:upui:1234567.089456.51qIgY)%3C%26Jp3*j7'SDB", "01/01234567894560/235/51qIgY%29%3C%26Jp3%2Aj7'SDB"],
    ["urn:epc:id:pgln:4012345.00000", "417/4012345000009"],
    ["urn:epc:class:lgtin:4012345.099988.2014-02-10", "01/04012345999884/10/2014-02-10"],
    ["urn:epc:idpat:sgtin:4012345.066666.*", "01/04012345666663"],
    ["urn:epc:idpat:grai:4012345.00011.*", "8003/04012345000115"],
    ["urn:epc:idpat:itip:4012345.012345.01.02.*", "8006/040123451234560102"],
  ])("%s", (urn, path) => {
    expect(epcToDigitalLink(urn)).toBe(`https://id.gs1.org/${path}`);
  });

  it("leaves values without a Digital Link equivalent alone", () => {
    expect(epcToDigitalLink("urn:epc:id:adi:2S.123.456")).toBeUndefined();
    expect(epcToDigitalLink("urn:epc:idpat:sgtin:4012345.*.*")).toBeUndefined();
    expect(epcToDigitalLink("urn:epcglobal:cbv:bt:4012345000009:ASN1099")).toBeUndefined();
  });

  it("rejects malformed EPC URIs", () => {
    for (const uri of [
      "urn:epc:id:sgtin:4012345.01111.1",
      "urn:epc:id:sgtin:4012345.011111",
      "urn:epc:id:sgtin:4012345.011111.a/b",
      "urn:epc:id:sscc:4012345",
      "urn:epc:id:sgln:40123.4500011.0",
      "urn:epc:class:lgtin:4012345.011111.123456789012345678901",
    ]) {
      expect(errorCodeOf(() => epcToDigitalLink(uri))).toBe("EPCIS.INVALID_EPC");
    }
  });

  it("computes GS1 check digits", () => {
    expect(gs1CheckDigit("0950600013435")).toBe(2);
    expect(gs1CheckDigit("10614141123456789")).toBe(7);
    expect(gs1CheckDigit("401234500000")).toBe(9);
    expect(gs1CheckDigit("0000000000000")).toBe(0);
  });

  it("constrains Digital Link URIs to their canonical, finest form", () => {
    expect(canonicalDigitalLink("https://example.com/gtin/9506000134352/lot/ABC?x=1")).toBe(
      "https://id.gs1.org/01/09506000134352/10/ABC",
    );
    expect(canonicalDigitalLink("https://id.gs1.org/01/09506000134352/22/2A/10/ABC/21/123")).toBe(
      "https://id.gs1.org/01/09506000134352/21/123",
    );
    expect(canonicalDigitalLink("https://id.gs1.org/01/12345678")).toBe("https://id.gs1.org/01/00000012345678");
    expect(canonicalDigitalLink("http://transaction.acme.com/po/12345678")).toBeUndefined();
    expect(canonicalDigitalLink("https://id.gs1.org/01/09506000134352/")).toBeUndefined();
    expect(canonicalDigitalLink("https://id.gs1.org/01/09506000134352/constructor/x")).toBeUndefined();
  });
});

describe("value normalisation", () => {
  it("writes timestamps in UTC with milliseconds, rounding half to even", () => {
    expect(normaliseTimestamp("2023-01-18T11:04:03.1415Z")).toBe("2023-01-18T11:04:03.142Z");
    expect(normaliseTimestamp("2005-04-03T20:33:31.116000-06:00")).toBe("2005-04-04T02:33:31.116Z");
    expect(normaliseTimestamp("2020-04-01T15:00:00+01:00")).toBe("2020-04-01T14:00:00.000Z");
    expect(normaliseTimestamp("2020-12-31T23:59:59.9999Z")).toBe("2021-01-01T00:00:00.000Z");
    expect(normaliseTimestamp("2020-01-01T00:00:00.0025Z")).toBe("2020-01-01T00:00:00.002Z");
    expect(normaliseTimestamp("not a time")).toBe("not a time");
  });

  it("writes numbers without trailing zeros, as Python does", () => {
    expect(canonicalNumber("452.0")).toBe("452");
    expect(canonicalNumber("+0.3430")).toBe("0.343");
    expect(canonicalNumber("1e3")).toBe("1000");
    expect(canonicalNumber("0.00001")).toBe("1e-05");
    expect(canonicalNumber("0614141")).toBe("614141");
    expect(canonicalNumber("+01:00")).toBeUndefined();
    expect(canonicalNumber("0x10")).toBeUndefined();
  });
});

interface VectorCase {
  readonly name: string;
  readonly document: Json;
  readonly hashes: readonly string[];
  readonly preHashes: readonly string[] | undefined;
}

function lines(path: string): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "");
}

function vectorCases(): VectorCase[] {
  return readdirSync(EXAMPLES)
    .filter((file) => file.endsWith(".jsonld") && existsSync(join(EXAMPLES, file.replace(/\.jsonld$/, ".hashes"))))
    .sort()
    .map((file) => {
      const base = join(EXAMPLES, file.replace(/\.jsonld$/, ""));
      return {
        name: file,
        document: JSON.parse(readFileSync(`${base}.jsonld`, "utf8")) as Json,
        hashes: lines(`${base}.hashes`),
        preHashes: existsSync(`${base}.prehashes`) ? lines(`${base}.prehashes`) : undefined,
      };
    });
}

/** ignoreFields is a document-level instruction: only the document-level function sees it. */
function preHashesViaPreHashOf(document: Json): string[] {
  if (JSON.stringify(document).includes(":ignoreFields")) return preHashesOfDocument(document);
  const body = document.epcisBody as { eventList?: Json[]; queryResults?: { resultsBody: { eventList: Json[] } } };
  const events = body.eventList ?? body.queryResults?.resultsBody.eventList ?? [];
  return events.map((event) => preHashOf(event, namespacesOf(document)));
}

function describeVectors(): void {
  const cases = vectorCases();

  it("finds the JSON-LD vectors", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  describe("event hashes", () => {
    it.each(cases.map((vector) => [vector.name, vector] as const))("%s", (_name, vector) => {
      expect(eventHashesOfDocument(vector.document)).toEqual(vector.hashes);
    });
  });

  describe("pre-hash strings (lines whose sha-256 is the expected hash; the others are stale)", () => {
    const withPreHashes = cases.filter((vector) => vector.preHashes !== undefined);
    it.each(withPreHashes.map((vector) => [vector.name, vector] as const))("%s", (_name, vector) => {
      const actual = preHashesViaPreHashOf(vector.document);
      const current = (vector.preHashes ?? []).flatMap((line, index) =>
        sha256Uri(line) === vector.hashes[index] ? [[index, line] as const] : [],
      );
      expect(current.length).toBeGreaterThan(0);
      for (const [index, line] of current) expect(actual[index]).toBe(line);
    });
  });

  describe("CBV vocabulary matches the EPCIS JSON-LD context", () => {
    const contexts = readdirSync(VECTORS).filter((file) => file.endsWith(".jsonld"));
    it.each(contexts)("%s", (file) => {
      const context = (JSON.parse(readFileSync(join(VECTORS, file), "utf8")) as { "@context": Json })["@context"];
      const scoped = (path: readonly string[]): string[] =>
        Object.keys(path.reduce<Json>((node, key) => node[key] as Json, context));
      const terms = (vocabulary: Vocabulary): string[] => [...vocabulary.terms];
      const report = ["sensorElementList", "@context", "sensorReport", "@context"];
      expect(terms(BIZ_STEPS)).toEqual(scoped(["bizStep", "@context"]));
      expect(terms(DISPOSITIONS)).toEqual(scoped(["disposition", "@context"]));
      expect(terms(BUSINESS_TRANSACTION_TYPES)).toEqual(scoped(["bizTransactionList", "@context", "type", "@context"]));
      expect(terms(SOURCE_DESTINATION_TYPES)).toEqual(scoped(["sourceList", "@context", "type", "@context"]));
      expect(terms(ERROR_REASONS)).toEqual(scoped(["errorDeclaration", "@context", "reason", "@context"]));
      expect(terms(MEASUREMENT_TYPES)).toEqual(scoped([...report, "type", "@context"]));
      expect(terms(SENSOR_ALERTS)).toEqual(scoped([...report, "exception", "@context"]));
      expect(terms(COMPONENTS)).toEqual(scoped([...report, "component", "@context"]));
    });
  });
}

describe("CBV 2.0 event-hash vectors (RalphTro/epcis-event-hash-generator)", describeVectors);
