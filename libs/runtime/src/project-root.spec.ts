import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { projectRoot, SERVICE_NODE_FLAGS, serviceArguments } from "./project-root.js";

describe("how the service is started", () => {
  it("is what `npm start` runs, so that scripts and tests measure the service users run", () => {
    const manifest = JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const [entry] = serviceArguments().slice(-1);
    const start = ["exec node", ...SERVICE_NODE_FLAGS, relative(projectRoot(), entry ?? "")].join(" ");
    expect(manifest.scripts.start).toBe(start);
  });
});
