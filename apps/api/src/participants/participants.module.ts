import { Module } from "@nestjs/common";
import { LEDGER } from "../runtime.ports.js";
import { ParticipantsController } from "./participants.controller.js";
import { ParticipantsService } from "./participants.service.js";
import { ROLE_REGISTRY, roleRegistryOf } from "./role-registry.js";
import { RoleSyncService } from "./role-sync.service.js";

@Module({
  controllers: [ParticipantsController],
  providers: [
    ParticipantsService,
    RoleSyncService,
    { provide: ROLE_REGISTRY, useFactory: roleRegistryOf, inject: [LEDGER] },
  ],
  exports: [ParticipantsService],
})
export class ParticipantsModule {}
