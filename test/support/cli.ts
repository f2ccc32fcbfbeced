import { execFile } from "node:child_process";
import { ROOT } from "./service.js";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npx carbontrace …` from the repository, as partners do. */
export function carbontrace(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      "npx",
      ["--no-install", "carbontrace", ...args],
      { cwd: ROOT, env: { ...process.env, npm_config_update_notifier: "false", ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({
          code,
          stdout,
          stderr: stderr
            .split("\n")
            .filter((line) => !line.startsWith("npm warn"))
            .join("\n"),
        });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}
