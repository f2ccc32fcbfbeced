import { Module } from "@nestjs/common";
import { FactorsModule } from "../factors/factors.module.js";
import { ModelsModule } from "../models/models.module.js";
import { ProofsModule } from "../proofs/proofs.module.js";
import { FootprintService } from "./footprint.service.js";
import { FootprintsController } from "./footprints.controller.js";

@Module({
  imports: [FactorsModule, ProofsModule, ModelsModule],
  controllers: [FootprintsController],
  providers: [FootprintService],
  exports: [FootprintService],
})
export class FootprintsModule {}
