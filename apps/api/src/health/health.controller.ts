import { Controller, Get, Inject, Res } from "@nestjs/common";
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from "@nestjs/swagger";
import type { Response } from "express";
import type { AnchorFailure } from "#anchoring";
import { within } from "#common";
import type { Backlog } from "#database";
import { labelFontsHealth } from "#labels";
import { worstStatus, type HealthStatus, type RuntimeHealth } from "#runtime";
import { AnchoringService } from "../anchoring/anchoring.service.js";
import { Public } from "../auth/access.decorator.js";
import { ENGINE_HEALTH, type EngineHealth } from "../runtime.ports.js";
import { HealthDto } from "./health.dto.js";

@ApiTags("health")
@Public()
@Controller("health")
export class HealthController {
  constructor(
    @Inject(ENGINE_HEALTH) private readonly engines: EngineHealth,
    private readonly anchoring: AnchoringService,
  ) {}

  @Get()
  @ApiOkResponse({
    type: HealthDto,
    description: "Every part works (status ok), or works but needs an operator (degraded)",
  })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: "At least one part is failing" })
  async health(
    @Res({ passthrough: true }) response: Response,
  ): Promise<RuntimeHealth & { anchoring: AnchoringHealth; labels: { status: HealthStatus; detail: string } }> {
    const [runtime, events, backlog, labels] = await Promise.all([
      this.engines.health(),
      // Figures from the database are a nicety: a database that does not answer must not hold the answer back.
      within(COUNTS_DEADLINE_MS, this.anchoring.counts()).catch(() => undefined),
      within(COUNTS_DEADLINE_MS, this.anchoring.backlog()).catch(() => undefined),
      // Whether labels and generated pictures can draw Chinese (degraded, not failing: everything else works).
      labelFontsHealth(),
    ]);
    const anchoring = anchoringHealth(this.anchoring, events, backlog);
    const status = worstStatus([runtime.status, anchoring.status, labels.status]);
    response.status(status === "failing" ? 503 : 200).setHeader("Cache-Control", "no-store");
    return { ...runtime, status, anchoring, labels };
  }
}

/**
 * Failing when the worker's last pass threw; degraded when the oldest unanchored event has waited longer than
 * ANCHOR_BEHIND_AFTER_S, or when steps fail since the last anchor while events wait; ok otherwise.
 */
function anchoringHealth(
  service: AnchoringService,
  events: Record<string, number> | undefined,
  backlog: Backlog | undefined,
  now = Date.now(),
): AnchoringHealth {
  const worker = service.status();
  const stats = service.stats();
  const waitedMs = backlog?.oldest == null ? 0 : now - backlog.oldest.getTime();
  const failingSinceAnchor =
    stats.lastFailure !== undefined &&
    (stats.lastAnchorAt === undefined || stats.lastFailure.at > stats.lastAnchorAt) &&
    (backlog?.events ?? 0) > 0;
  const behind = waitedMs > service.behindAfterMs;
  const status = worker.lastError !== undefined ? "failing" : behind || failingSinceAnchor ? "degraded" : "ok";
  const lastFailure =
    stats.lastFailure === undefined ? undefined : { ...stats.lastFailure, at: stats.lastFailure.at.toISOString() };
  return {
    status,
    detail:
      worker.lastError ??
      (behind
        ? `behind: the oldest event not on the chain has waited ${String(Math.round(waitedMs / 1000))} s`
        : failingSinceAnchor
          ? `retrying: ${lastFailure?.cause ?? ""} ${lastFailure?.code ?? ""}`
          : worker.leader
            ? "this instance anchors"
            : "on standby (another instance anchors)"),
    leader: worker.leader,
    lastPassAt: worker.lastPassAt?.toISOString() ?? null,
    ...(events === undefined ? {} : { events }),
    ...(backlog === undefined
      ? {}
      : {
          backlog: {
            events: backlog.events,
            oldestAgeSeconds: backlog.oldest === null ? null : Math.round(waitedMs / 1000),
          },
        }),
    lastAnchorAt: stats.lastAnchorAt?.toISOString() ?? null,
    failures: stats.failures,
    ...(lastFailure === undefined ? {} : { lastFailure }),
  };
}

const COUNTS_DEADLINE_MS = 3_000;

interface AnchoringHealth {
  readonly status: HealthStatus;
  readonly detail: string;
  readonly leader: boolean;
  readonly lastPassAt: string | null;
  readonly events?: Record<string, number>;
  readonly backlog?: { readonly events: number; readonly oldestAgeSeconds: number | null };
  readonly lastAnchorAt: string | null;
  readonly failures: Readonly<Record<string, number>>;
  readonly lastFailure?: AnchorFailure & { readonly at: string };
}
