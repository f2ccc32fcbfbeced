import { Module } from "@nestjs/common";
import { ParticipantsController } from "./participants.controller.js";
import { ParticipantsService } from "./participants.service.js";
import { RoleSyncService } from "./role-sync.service.js";

@Module({
  controllers: [ParticipantsController],
  providers: [ParticipantsService, RoleSyncService],
  exports: [ParticipantsService],
})
export class ParticipantsModule {}
