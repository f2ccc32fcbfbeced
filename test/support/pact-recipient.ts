import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A data recipient's PACT host, as CarbonTrace meets it when it answers a PF Request: a token endpoint and events. */
export interface PactRecipient {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** CloudEvents posted to its /3/events with a valid token. */
  readonly received: Array<Record<string, unknown>>;
  /** Requests it refused (wrong credentials or token). */
  readonly refused: string[];
  /** Answer the next n event posts with this status (to test retries). */
  failNext(count: number, status: number): void;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startPactRecipient(): Promise<PactRecipient> {
  const clientId = "recipient-client";
  const clientSecret = "recipient secret/with:odd+chars";
  const token = `token-${String(Date.now())}`;
  const received: Array<Record<string, unknown>> = [];
  const refused: string[] = [];
  let failures = { count: 0, status: 503 };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await bodyOf(request);
      if (request.method === "POST" && request.url === "/auth/token") {
        const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
        const [id = "", secret = ""] = Buffer.from(basic, "base64").toString("utf8").split(":").map(decodeURIComponent);
        if (id !== clientId || secret !== clientSecret || !body.includes("grant_type=client_credentials")) {
          refused.push("token");
          response.writeHead(401, { "content-type": "application/json" }).end('{"error":"invalid_client"}');
          return;
        }
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ access_token: token, token_type: "Bearer", expires_in: 3600 }));
        return;
      }
      if (request.method === "POST" && request.url === "/3/events") {
        if (request.headers.authorization !== `Bearer ${token}`) {
          refused.push("event");
          response.writeHead(401).end();
          return;
        }
        if (failures.count > 0) {
          failures = { ...failures, count: failures.count - 1 };
          response.writeHead(failures.status).end();
          return;
        }
        received.push(JSON.parse(body) as Record<string, unknown>);
        response.writeHead(200).end();
        return;
      }
      response.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    clientId,
    clientSecret,
    received,
    refused,
    failNext: (count, status) => {
      failures = { count, status };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
