import { Module } from "@nestjs/common";
import { FootprintsModule } from "../footprints/footprints.module.js";
import { ProofsModule } from "../proofs/proofs.module.js";
import { OffsetService } from "./offset.service.js";
import { OffsetsController } from "./offsets.controller.js";

@Module({
  imports: [ProofsModule, FootprintsModule],
  controllers: [OffsetsController],
  providers: [OffsetService],
  exports: [OffsetService],
})
export class OffsetsModule {}
