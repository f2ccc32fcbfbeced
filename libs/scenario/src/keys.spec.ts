import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { fileKeys } from "./keys.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("fileKeys", () => {
  it("creates a partner's key once, readable by its owner only, and signs with the same key afterwards", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "ct-keys-")), "keys");
    dirs.push(join(dir, ".."));
    const first = await fileKeys(dir).wallet("moulder");
    const again = await fileKeys(dir).wallet("moulder");
    const other = await fileKeys(dir).wallet("warehouse");
    expect(again.address).toBe(first.address);
    expect(other.address).not.toBe(first.address);
    expect((await stat(join(dir, "moulder.key"))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });
});
