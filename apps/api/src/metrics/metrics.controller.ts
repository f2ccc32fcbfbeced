import { Controller, Get, Header, Inject } from "@nestjs/common";
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from "@nestjs/swagger";
import { Public } from "../auth/access.decorator.js";
import { Metrics } from "./metrics.js";

@ApiTags("health")
@Public()
@Controller("metrics")
export class MetricsController {
  constructor(@Inject(Metrics) private readonly metrics: Metrics) {}

  @Get()
  @Header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
  @Header("Cache-Control", "no-store")
  @ApiOperation({
    summary: "Prometheus metrics",
    description:
      "Capture rate and latency, HTTP requests by route, anchoring backlog, chain jobs waiting, anchors and failures by cause, " +
      "dependency health and check latency, embedded engine restarts, and the process's own figures.",
  })
  @ApiProduces("text/plain")
  @ApiOkResponse({ description: "Prometheus text exposition format 0.0.4", schema: { type: "string" } })
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
