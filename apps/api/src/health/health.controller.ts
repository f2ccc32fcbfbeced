import { Controller, Get, Inject, Res } from "@nestjs/common";
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from "@nestjs/swagger";
import type { Response } from "express";
import type { Runtime, RuntimeHealth } from "#runtime";
import { AnchoringService } from "../anchoring/anchoring.service.js";
import { Public } from "../auth/access.decorator.js";
import { RUNTIME } from "../runtime.tokens.js";
import { HealthDto } from "./health.dto.js";

@ApiTags("health")
@Public()
@Controller("health")
export class HealthController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly anchoring: AnchoringService,
  ) {}

  @Get()
  @ApiOkResponse({ type: HealthDto, description: "Database, chain and IPFS all answer" })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: "At least one component is failing" })
  async health(
    @Res({ passthrough: true }) response: Response,
  ): Promise<RuntimeHealth & { anchoring: AnchoringHealth }> {
    const [runtime, events] = await Promise.all([
      this.runtime.health(),
      // Counts are a nicety: a database that does not answer must not hold the health answer back.
      within(COUNTS_DEADLINE_MS, this.anchoring.repository.counts()).catch(() => undefined),
    ]);
    const worker = this.anchoring.status();
    const anchoring: AnchoringHealth = {
      status: worker.lastError === undefined ? "ok" : "failing",
      detail: worker.lastError ?? (worker.leader ? "this instance anchors" : "on standby (another instance anchors)"),
      leader: worker.leader,
      lastPassAt: worker.lastPassAt?.toISOString() ?? null,
      ...(events === undefined ? {} : { events }),
    };
    const ok = runtime.status === "ok" && anchoring.status === "ok";
    response.status(ok ? 200 : 503).setHeader("Cache-Control", "no-store");
    return { ...runtime, status: ok ? "ok" : "failing", anchoring };
  }
}

const COUNTS_DEADLINE_MS = 3_000;

function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${String(ms)} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

interface AnchoringHealth {
  readonly status: "ok" | "failing";
  readonly detail: string;
  readonly leader: boolean;
  readonly lastPassAt: string | null;
  readonly events?: Record<string, number>;
}
