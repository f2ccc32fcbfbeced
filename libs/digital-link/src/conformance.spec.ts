// Every GS1 Syntax Engine Digital Link vector (test/fixtures/digital-link), each under its own engine flags.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "@jest/globals";
import { isDomainError } from "#common";
import { buildDigitalLink, type DigitalLinkOptions, parseDigitalLink } from "./index.js";

interface EngineFlags {
  permitConvenienceAlphas: boolean;
  permitZeroSuppressedGTINinDLuris: boolean;
  permitUnknownAIs: boolean;
  validation_UNKNOWN_AI_NOT_DL_ATTR: boolean;
}

interface ParseVector {
  shouldSucceed: boolean;
  uri: string;
  expectedAIString: string;
  flags: EngineFlags;
}

interface GenerateVector {
  shouldSucceed: boolean;
  uriStem: string | null;
  elementString: string;
  expectedURI: string;
  flags: EngineFlags;
}

const VECTORS_FILE = new URL("../../../test/fixtures/digital-link/gs1-syntax-engine-dl-vectors.json", import.meta.url);
const vectors = JSON.parse(readFileSync(VECTORS_FILE, "utf8")) as {
  parseDLuri: ParseVector[];
  generateDLuri: GenerateVector[];
};

function optionsOf(flags: EngineFlags): DigitalLinkOptions {
  return {
    permitConvenienceAlphas: flags.permitConvenienceAlphas,
    permitZeroSuppressedGtin: flags.permitZeroSuppressedGTINinDLuris,
    permitUnknownAis: flags.permitUnknownAIs,
    rejectUnknownAiAsDataAttribute: flags.validation_UNKNOWN_AI_NOT_DL_ATTR,
  };
}

function flagNames(flags: EngineFlags): string {
  const on = Object.entries(flags).filter(([name, value]) => value !== (name === "validation_UNKNOWN_AI_NOT_DL_ATTR"));
  return on.length === 0 ? "" : ` [${on.map(([name, value]) => `${name}=${String(value)}`).join(", ")}]`;
}

function expectDigitalLinkError(run: () => unknown): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(isDomainError(thrown)).toBe(true);
  if (isDomainError(thrown)) {
    expect(thrown.code).toMatch(/^DIGITAL_LINK\./);
    expect(thrown.kind).toBe("invalid");
  }
}

const parseCases = vectors.parseDLuri.map((vector, index) => ({
  ...vector,
  name: `#${index + 1} "${vector.uri}"${flagNames(vector.flags)} → ${vector.shouldSucceed ? vector.expectedAIString : "rejected"}`,
}));

const generateCases = vectors.generateDLuri.map((vector, index) => ({
  ...vector,
  name: `#${index + 1} ${vector.uriStem ?? "null"} + ${vector.elementString}${flagNames(vector.flags)} → ${vector.shouldSucceed ? vector.expectedURI : "rejected"}`,
}));

describe("GS1 Syntax Engine Digital Link vectors", () => {
  test("the fixture holds all 118 parse and 22 generate vectors", () => {
    expect(vectors.parseDLuri).toHaveLength(118);
    expect(vectors.generateDLuri).toHaveLength(22);
  });

  describe("parseDLuri", () => {
    test.each(parseCases)("$name", ({ uri, shouldSucceed, expectedAIString, flags }) => {
      if (shouldSucceed) expect(parseDigitalLink(uri, optionsOf(flags)).aiString).toBe(expectedAIString);
      else expectDigitalLinkError(() => parseDigitalLink(uri, optionsOf(flags)));
    });
  });

  describe("generateDLuri", () => {
    test.each(generateCases)("$name", ({ uriStem, elementString, shouldSucceed, expectedURI, flags }) => {
      if (shouldSucceed) expect(buildDigitalLink(uriStem, elementString, optionsOf(flags))).toBe(expectedURI);
      else expectDigitalLinkError(() => buildDigitalLink(uriStem, elementString, optionsOf(flags)));
    });
  });
});
