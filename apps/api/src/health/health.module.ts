import { Module } from "@nestjs/common";
import { AnchoringModule } from "../anchoring/anchoring.module.js";
import { HealthController } from "./health.controller.js";

@Module({ imports: [AnchoringModule], controllers: [HealthController] })
export class HealthModule {}
