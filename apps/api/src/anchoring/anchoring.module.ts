import { Module } from "@nestjs/common";
import { AnchoringController } from "./anchoring.controller.js";
import { AnchoringService } from "./anchoring.service.js";

@Module({ controllers: [AnchoringController], providers: [AnchoringService], exports: [AnchoringService] })
export class AnchoringModule {}
