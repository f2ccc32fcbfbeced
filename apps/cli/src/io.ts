import { readFile, writeFile } from "node:fs/promises";

/** Reads a file, or standard input for "-". */
export async function readInput(path: string): Promise<Buffer> {
  if (path !== "-") return readFile(path);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readJson(path: string): Promise<Record<string, unknown>> {
  const text = (await readInput(path)).toString("utf8");
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not a JSON object");
    return value as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`${path === "-" ? "standard input" : path} is not a JSON document: ${(error as Error).message}`);
  }
}

/** Writes to a file, or standard output when no path is given. */
export async function writeOutput(path: string | undefined, text: string): Promise<void> {
  if (path === undefined) process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  else await writeFile(path, text.endsWith("\n") ? text : `${text}\n`);
}

/** A mistake of the user, printed without a stack trace. */
export class CliError extends Error {}
