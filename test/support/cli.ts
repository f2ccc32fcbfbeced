import { execFile } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./service.js";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /**
   * Through `npx carbontrace`, as partners type it (package.json's `bin`, found by npm). By default the same
   * launcher runs on this Node directly: npx itself costs about 1.5 s of CPU a call, and the e2e run makes dozens.
   */
  readonly npx?: boolean;
}

/** Runs the `carbontrace` command of this repository (apps/cli/bin/carbontrace.js, what `npx carbontrace` runs). */
export function carbontrace(
  args: string[],
  env: Record<string, string> = {},
  stdin?: string,
  options: CliOptions = {},
): Promise<CliResult> {
  const [command, prefix] =
    options.npx === true
      ? ["npx", ["--no-install", "carbontrace"]]
      : [process.execPath, [join(ROOT, "apps", "cli", "bin", "carbontrace.js")]];
  return new Promise((resolve) => {
    const child = execFile(
      command,
      [...prefix, ...args],
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
