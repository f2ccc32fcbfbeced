import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { extensionValidatorSource } from "./extension-validator-source.js";

describe("the precompiled extension validator", () => {
  it("is what EXTENSION_SCHEMA compiles to today (run npm run gen:validators after changing the schema)", () => {
    const file = join(dirname(fileURLToPath(import.meta.url)), "extension-validator.ts");
    expect(readFileSync(file, "utf8")).toBe(extensionValidatorSource());
  });
});
