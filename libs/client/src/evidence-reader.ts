import { EvidenceSourceUnavailable, type EvidenceReader } from "#proof";

/**
 * Evidence bytes over HTTP, from a URL template with `{cid}`: the issuing service (`https://host/evidence/{cid}`),
 * or any IPFS gateway (`https://gateway/ipfs/{cid}`). The verifier re-hashes what it gets, so the source need
 * not be trusted.
 */
export function httpEvidenceReader(template: string, fetcher: typeof fetch = fetch): EvidenceReader {
  if (!template.includes("{cid}")) throw new Error(`the evidence URL template needs a {cid} placeholder: ${template}`);
  return {
    read: (cid) =>
      fetchBytes(fetcher, template.replace("{cid}", encodeURIComponent(cid)), {}, cid, "the evidence source"),
  };
}

/** Evidence bytes from a Kubo RPC API (`ipfs cat`). */
export function kuboEvidenceReader(apiUrl: string, fetcher: typeof fetch = fetch): EvidenceReader {
  const base = apiUrl.replace(/\/+$/, "");
  return {
    read: (cid) =>
      fetchBytes(fetcher, `${base}/api/v0/cat?arg=${encodeURIComponent(cid)}`, { method: "POST" }, cid, "Kubo"),
  };
}

/** Gateways answer these while their backend is down: the file's state is unknown, not bad. */
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

async function fetchBytes(
  fetcher: typeof fetch,
  url: string,
  init: RequestInit,
  cid: string,
  source: string,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetcher(url, init);
  } catch (error) {
    throw new EvidenceSourceUnavailable(`${source} request for ${cid} failed (${String(error)})`, { cause: error });
  }
  if (UNAVAILABLE_STATUSES.has(response.status)) {
    throw new EvidenceSourceUnavailable(`${source} answered HTTP ${String(response.status)} for ${cid}`);
  }
  if (!response.ok) throw new Error(`${source} answered HTTP ${String(response.status)} for ${cid}`);
  return new Uint8Array(await response.arrayBuffer());
}
