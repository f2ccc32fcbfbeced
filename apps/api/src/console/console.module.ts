import { Module } from "@nestjs/common";
import { ConsoleController } from "./console.controller.js";
import { ModelsModule } from "../models/models.module.js";
import { ParticipantsModule } from "../participants/participants.module.js";
import { ConsoleFormsService } from "./console-forms.service.js";
import { ConsolePagesController } from "./console-pages.controller.js";

/**
 * The partner console's way in (invitations, sign-in, sessions) and its pages; the session service itself lives in
 * AuthModule, whose guard uses it.
 */
@Module({
  imports: [ModelsModule, ParticipantsModule],
  controllers: [ConsoleController, ConsolePagesController],
  providers: [ConsoleFormsService],
})
export class ConsoleModule {}
