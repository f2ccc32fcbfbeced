import { readFile, writeFile } from "node:fs/promises";
import { documentFromXml } from "#epcis";

/** Reads a file, or standard input for "-". */
export async function readInput(path: string): Promise<Buffer> {
  if (path !== "-") return readFile(path);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readJson(path: string): Promise<Record<string, unknown>> {
  return parseJsonObject((await readInput(path)).toString("utf8"), path);
}

function parseJsonObject(text: string, path: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not a JSON object");
    return value as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`${nameOf(path)} is not a JSON document: ${(error as Error).message}`);
  }
}

/** An EPCIS document as read from a file: JSON-LD, or the XML binding (kept as written, and as its JSON-LD form). */
export type EpcisInput =
  | { readonly binding: "json"; readonly document: Record<string, unknown> }
  | { readonly binding: "xml"; readonly document: Record<string, unknown>; readonly xml: string };

/** JSON-LD or XML, told apart by the first character (an XML document starts with `<`). */
export async function readEpcis(path: string): Promise<EpcisInput> {
  const text = (await readInput(path)).toString("utf8").replace(/^\uFEFF/, "");
  if (!text.trimStart().startsWith("<")) return { binding: "json", document: parseJsonObject(text, path) };
  try {
    return { binding: "xml", document: { ...documentFromXml(text) }, xml: text };
  } catch (error) {
    throw new CliError(`${nameOf(path)} is not an EPCIS XML document: ${(error as Error).message}`);
  }
}

function nameOf(path: string): string {
  return path === "-" ? "standard input" : path;
}

/** Writes to a file, or standard output when no path is given. */
export async function writeOutput(path: string | undefined, text: string): Promise<void> {
  if (path === undefined) process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  else await writeFile(path, text.endsWith("\n") ? text : `${text}\n`);
}

/** A mistake of the user, printed without a stack trace. */
export class CliError extends Error {}
