import { CID } from "multiformats/cid";
import { invalidCid } from "./errors.js";

export function parseCid(value: string): CID {
  try {
    return CID.parse(value);
  } catch {
    throw invalidCid(value);
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
