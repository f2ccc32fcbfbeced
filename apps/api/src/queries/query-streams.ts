import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { Injectable, Logger, type OnApplicationShutdown } from "@nestjs/common";
import type { Request } from "express";
import { WebSocketServer, type WebSocket } from "ws";
import { DomainError, isDomainError } from "#common";
import { EventRepository, type EventQuery } from "#database";
import { AuthFailureLimiter } from "../auth/auth-failures.js";
import { AuthService } from "../auth/auth.service.js";
import { problemOf } from "../common/problem-details.js";
import { QueriesService, subscriptionDocument } from "./queries.service.js";

const POLL_MS = 1_000;
const EVENTS_PER_MESSAGE = 500;
/** A socket that has not read what it was sent is closed rather than buffered without end. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const PATH = /^\/queries\/([^/?#]+)\/events\/?(?:\?.*)?$/;

interface Stream {
  readonly socket: WebSocket;
  readonly id: string;
  readonly queryName: string;
  readonly query: EventQuery;
  afterSeq: string;
}

/**
 * WebSocket subscriptions (EPCIS 2.0 REST binding: `GET /queries/{name}/events` with `Upgrade: websocket`): after
 * the handshake, every newly recorded event that matches the caller's named query is sent as an EPCISQueryDocument
 * (one text message per batch, `subscriptionID` naming the connection). The caller authenticates like any API
 * call (`Authorization: Bearer <key>`) and may only stream its own queries. Each instance streams to its own
 * sockets; the events come from the database, so a capture on any instance reaches every stream.
 */
@Injectable()
export class QueryStreams implements OnApplicationShutdown {
  private readonly log = new Logger("query-streams");
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly streams = new Set<Stream>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly auth: AuthService,
    private readonly failures: AuthFailureLimiter,
    private readonly queries: QueriesService,
    private readonly events: EventRepository,
  ) {}

  /** Takes WebSocket upgrades of the query-events path on this HTTP server; other upgrades are refused. */
  attach(server: Server): void {
    server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgrade(request, socket, head).catch((error: unknown) => {
        this.log.error("WebSocket upgrade failed", { error: String(error) });
        refuse(socket, 500, { title: "internal", detail: "The stream could not be opened" });
      });
    });
  }

  get connections(): number {
    return this.streams.size;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const stream of this.streams) stream.socket.close(1001, "the service is stopping");
    this.streams.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const match = PATH.exec(request.url ?? "");
    if (match === null) {
      refuse(socket, 404, { title: "not-found", detail: "WebSocket streams are served at /queries/{name}/events" });
      return;
    }
    const name = decodeURIComponent(match[1] ?? "");
    let query: EventQuery;
    try {
      const header = request.headers.authorization ?? "";
      const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
      if (token === undefined) {
        throw new DomainError("AUTH.UNAUTHENTICATED", "unauthenticated", "Send `Authorization: Bearer <key>`");
      }
      const principal = await this.failures.guard(request as Request, () => this.auth.authenticate(token));
      ({ query } = await this.queries.eventQuery(principal, name, {}));
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const problem = problemOf(error, request.url ?? "");
      refuse(socket, problem.status, problem);
      return;
    }
    const afterSeq = await this.events.latestSeq();
    this.server.handleUpgrade(request, socket, head, (ws) => this.open(ws, name, query, afterSeq));
  }

  private open(socket: WebSocket, queryName: string, query: EventQuery, afterSeq: string): void {
    const stream: Stream = { socket, id: randomUUID(), queryName, query, afterSeq };
    this.streams.add(stream);
    socket.on("close", () => this.streams.delete(stream));
    socket.on("error", () => this.streams.delete(stream));
    this.timer ??= setInterval(() => void this.poll(), POLL_MS).unref();
  }

  /** Sends each stream what was recorded since its last message. */
  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const stream of [...this.streams]) await this.feed(stream);
    } catch (error) {
      this.log.error("stream poll failed", { error: String(error) });
    } finally {
      this.polling = false;
    }
  }

  private async feed(stream: Stream): Promise<void> {
    if (stream.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      stream.socket.close(1008, "the client does not read what it is sent");
      this.streams.delete(stream);
      return;
    }
    const found = await this.events.find({ ...stream.query, afterSeq: stream.afterSeq, limit: EVENTS_PER_MESSAGE });
    const last = found.at(-1);
    if (last === undefined) return;
    stream.afterSeq = last.seq;
    stream.socket.send(JSON.stringify(subscriptionDocument(stream.queryName, stream.id, found)));
  }
}

/** An HTTP answer on a socket that will not be upgraded (RFC 9457 problem details), then the socket is closed. */
function refuse(socket: Duplex, status: number, problem: Record<string, unknown>): void {
  const body = JSON.stringify({ status, ...problem });
  socket.end(
    `HTTP/1.1 ${String(status)} ${status === 404 ? "Not Found" : status === 401 ? "Unauthorized" : "Error"}\r\n` +
      "Content-Type: application/problem+json\r\n" +
      `Content-Length: ${String(Buffer.byteLength(body))}\r\nConnection: close\r\n\r\n${body}`,
  );
}
