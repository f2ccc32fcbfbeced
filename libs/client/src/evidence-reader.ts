/**
 * Evidence bytes over HTTP, from a URL template with `{cid}`: the issuing service (`https://host/evidence/{cid}`),
 * or any IPFS gateway (`https://gateway/ipfs/{cid}`). The verifier re-hashes what it gets, so the source need
 * not be trusted.
 */
export function httpEvidenceReader(
  template: string,
  fetcher: typeof fetch = fetch,
): { read(cid: string): Promise<Uint8Array> } {
  if (!template.includes("{cid}")) throw new Error(`the evidence URL template needs a {cid} placeholder: ${template}`);
  return {
    read: async (cid) => {
      const response = await fetcher(template.replace("{cid}", encodeURIComponent(cid)));
      if (!response.ok) throw new Error(`HTTP ${String(response.status)} for ${cid}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

/** Evidence bytes from a Kubo RPC API (`ipfs cat`). */
export function kuboEvidenceReader(
  apiUrl: string,
  fetcher: typeof fetch = fetch,
): { read(cid: string): Promise<Uint8Array> } {
  const base = apiUrl.replace(/\/+$/, "");
  return {
    read: async (cid) => {
      const response = await fetcher(`${base}/api/v0/cat?arg=${encodeURIComponent(cid)}`, { method: "POST" });
      if (!response.ok) throw new Error(`Kubo answered HTTP ${String(response.status)} for ${cid}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
