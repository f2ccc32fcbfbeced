const ENCODER = new TextEncoder();

/**
 * UTF-8 as the platform encodes it (TextEncoder, in browsers and Node): what is hashed here is often large (a proof
 * bundle, a factor library, a batch manifest), and ethers' toUtf8Bytes loops in JavaScript.
 */
export function utf8Bytes(text: string): Uint8Array {
  return ENCODER.encode(text);
}
