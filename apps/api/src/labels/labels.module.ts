import { Module } from "@nestjs/common";
import { FootprintsModule } from "../footprints/footprints.module.js";
import { ModelsModule } from "../models/models.module.js";
import { OffsetsModule } from "../offsets/offsets.module.js";
import { ProofsModule } from "../proofs/proofs.module.js";
import { JourneyService } from "./journey.service.js";
import { LabelsController } from "./labels.controller.js";

@Module({
  imports: [ProofsModule, FootprintsModule, OffsetsModule, ModelsModule],
  controllers: [LabelsController],
  providers: [JourneyService],
})
export class LabelsModule {}
