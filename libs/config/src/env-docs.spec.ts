import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { envSchema } from "./config.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const schema = Object.values(envSchema("/"));

describe("environment documentation", () => {
  it(".env.example lists every variable, with its description, and nothing else", () => {
    const text = readFileSync(join(root, ".env.example"), "utf8");
    const keys = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(keys).toEqual(schema.map((v) => v.key));
    for (const variable of schema) {
      expect(text).toContain(`# ${variable.description}\n`);
    }
  });

  it("README documents every variable", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    for (const variable of schema) expect(readme).toContain(`\`${variable.key}\``);
  });
});
