import { CID } from "multiformats/cid";
import { invalidCid } from "./errors.js";

export function parseCid(value: string): CID {
  try {
    return CID.parse(value);
  } catch {
    throw invalidCid(value);
  }
}

/** Consumes an async iterable for its side effects (pinning, or proving every block is readable). */
export async function drain(items: AsyncIterable<unknown>): Promise<void> {
  const iterator = items[Symbol.asyncIterator]();
  while (!(await iterator.next()).done) {
    // nothing to keep
  }
}

export async function concat(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.byteLength;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
