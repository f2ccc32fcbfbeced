import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Wallet } from "ethers";

/** Where self-custody partners keep their signing keys, so that every run signs as the same partners. */
export interface ParticipantKeys {
  wallet(participant: string): Promise<Wallet>;
}

/**
 * One key file per partner in `dir` (created on first use, readable by its owner only), as `carbontrace keygen`
 * writes them.
 */
export function fileKeys(dir: string): ParticipantKeys {
  return {
    async wallet(participant: string): Promise<Wallet> {
      const file = join(dir, `${participant}.key`);
      try {
        return new Wallet((await readFile(file, "utf8")).trim());
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const created = Wallet.createRandom();
      await writeFile(file, `${created.privateKey}\n`, { mode: 0o600, flag: "wx" });
      await chmod(file, 0o600);
      return new Wallet(created.privateKey);
    },
  };
}
