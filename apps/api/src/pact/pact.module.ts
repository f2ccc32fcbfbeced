import { Module } from "@nestjs/common";
import { PactAuthService } from "./pact-auth.service.js";
import { PactClientsController } from "./pact-clients.controller.js";
import { PactController, PactTokenController } from "./pact.controller.js";
import { PactDeliveryService } from "./pact-delivery.service.js";
import { PactGuard } from "./pact.guard.js";
import { PactService } from "./pact.service.js";

@Module({
  controllers: [PactTokenController, PactController, PactClientsController],
  providers: [PactAuthService, PactService, PactDeliveryService, PactGuard],
  exports: [PactDeliveryService],
})
export class PactModule {}
