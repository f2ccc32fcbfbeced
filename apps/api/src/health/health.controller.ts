import { Controller, Get, Inject, Res } from "@nestjs/common";
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from "@nestjs/swagger";
import type { Response } from "express";
import type { Runtime, RuntimeHealth } from "#runtime";
import { Public } from "../auth/access.decorator.js";
import { RUNTIME } from "../runtime.tokens.js";
import { HealthDto } from "./health.dto.js";

@ApiTags("health")
@Public()
@Controller("health")
export class HealthController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  @Get()
  @ApiOkResponse({ type: HealthDto, description: "Database, chain and IPFS all answer" })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: "At least one component is failing" })
  async health(@Res({ passthrough: true }) response: Response): Promise<RuntimeHealth> {
    const health = await this.runtime.health();
    response.status(health.status === "ok" ? 200 : 503).setHeader("Cache-Control", "no-store");
    return health;
  }
}
