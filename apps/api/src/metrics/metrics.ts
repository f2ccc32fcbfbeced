import type { NextFunction, Request, Response } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { FAILURE_CAUSES } from "#anchoring";

/** Seconds: from a fast read to a capture of a full document on a loaded machine. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * This process's Prometheus metrics (one registry per app, so that several apps in one test process never
 * share counters). Figures that live elsewhere (anchoring backlog, dependency health) are read at scrape time by
 * whoever registers them with `onScrape`.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: "carbontrace_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: "carbontrace_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by method and route pattern",
    labelNames: ["method", "route"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly capturedEvents = new Counter({
    name: "carbontrace_captured_events_total",
    help: "Events stored by POST /capture, by outcome (created, duplicate, retracted)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly captureDuration = new Histogram({
    name: "carbontrace_capture_duration_seconds",
    help: "Time from a capture document's arrival to its commit (validation, signatures, evidence, storage)",
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly backlogEvents = new Gauge({
    name: "carbontrace_anchoring_backlog_events",
    help: "Events captured but not yet on the chain",
    registers: [this.registry],
  });
  readonly backlogOldest = new Gauge({
    name: "carbontrace_anchoring_oldest_wait_seconds",
    help: "How long the oldest event not yet on the chain has waited",
    registers: [this.registry],
  });
  readonly chainJobsWaiting = new Gauge({
    name: "carbontrace_chain_jobs_waiting",
    help: "Transactions owed to the chain besides anchors (retirements, attestations, roles) not yet done",
    registers: [this.registry],
  });
  readonly chainJobsOldest = new Gauge({
    name: "carbontrace_chain_jobs_oldest_wait_seconds",
    help: "How long the oldest chain job not yet done has waited",
    registers: [this.registry],
  });
  readonly anchors = new Gauge({
    name: "carbontrace_anchored_batches",
    help: "Batches this instance saw mined since it started",
    registers: [this.registry],
  });
  readonly anchoredEvents = new Gauge({
    name: "carbontrace_anchored_events",
    help: "Events in the batches this instance saw mined since it started",
    registers: [this.registry],
  });
  readonly anchorFailures = new Gauge({
    name: "carbontrace_anchoring_failures",
    help: "Failed anchoring steps since start, by cause (chain, funds, ipfs, database, other)",
    labelNames: ["cause"] as const,
    registers: [this.registry],
  });
  readonly partUp = new Gauge({
    name: "carbontrace_dependency_up",
    help: "1 when the part answers its health check (degraded counts as up), else 0",
    labelNames: ["part"] as const,
    registers: [this.registry],
  });
  readonly partLatency = new Gauge({
    name: "carbontrace_dependency_check_seconds",
    help: "How long the part's health check took at the last scrape",
    labelNames: ["part"] as const,
    registers: [this.registry],
  });
  readonly engineRestarts = new Gauge({
    name: "carbontrace_embedded_engine_restarts",
    help: "Times an embedded engine was started again after dying",
    labelNames: ["engine"] as const,
    registers: [this.registry],
  });
  private readonly scrapers: Array<() => Promise<void>> = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "carbontrace_" });
    for (const cause of FAILURE_CAUSES) this.anchorFailures.set({ cause }, 0);
  }

  /** Runs `read` before each scrape; a reader that fails leaves its gauges at their last value. */
  onScrape(read: () => Promise<void>): void {
    this.scrapers.push(read);
  }

  async scrape(): Promise<string> {
    await Promise.allSettled(this.scrapers.map((read) => read()));
    return this.registry.metrics();
  }

  /** Express middleware: counts and times each request under its route pattern (bounded label values). */
  httpMiddleware() {
    return (request: Request, response: Response, next: NextFunction): void => {
      const stop = this.httpDuration.startTimer();
      response.on("finish", () => {
        const route = routeOf(request);
        stop({ method: request.method, route });
        this.httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
      });
      next();
    };
  }
}

/** The matched route's pattern (`/lots/:gtin/:lot`), never the raw path: label values must stay few. */
function routeOf(request: Request): string {
  const { route } = request as { route?: { path?: unknown } };
  return typeof route?.path === "string" ? `${request.baseUrl}${route.path}` : "unmatched";
}
