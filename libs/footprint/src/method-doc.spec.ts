import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { BUILT_IN_FACTORS, FACTOR_CLASSIFICATION } from "./classification.js";
import { PROXY_RULES } from "./proxy-rules.js";

/** docs/footprint-method.md is what certifiers read: its tables must not drift from the code. */
const METHOD = readFileSync(new URL("../../../docs/footprint-method.md", import.meta.url), "utf8");

describe("docs/footprint-method.md", () => {
  it("lists every classified factor with its activity key", () => {
    const missing = [...FACTOR_CLASSIFICATION]
      .filter(([id, { activity }]) => !new RegExp(`\\| \`${activity}\` +\\| \`${id}\` +\\|`).test(METHOD))
      .map(([id]) => id);
    expect(missing).toEqual([]);
  });

  it("states every proxy rule with its reason", () => {
    for (const rule of PROXY_RULES) expect(METHOD.replace(/\s+/g, " ")).toContain(rule.reason);
  });

  it("names the built-in method factors", () => {
    for (const factor of BUILT_IN_FACTORS) expect(METHOD).toContain(`\`${factor.id}\``);
  });
});
