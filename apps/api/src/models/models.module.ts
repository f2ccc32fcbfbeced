import { Module } from "@nestjs/common";
import { CaptureModule } from "../capture/capture.module.js";
import { FactorsModule } from "../factors/factors.module.js";
import { ModelsController } from "./models.controller.js";
import { ModelsService } from "./models.service.js";
import { ReviewService } from "./review.service.js";

@Module({
  imports: [CaptureModule, FactorsModule],
  controllers: [ModelsController],
  providers: [ModelsService, ReviewService],
  exports: [ModelsService],
})
export class ModelsModule {}
