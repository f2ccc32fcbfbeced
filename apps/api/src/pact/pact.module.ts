import { Module } from "@nestjs/common";
import type { Config } from "#config";
import { OutboundPolicy } from "../common/outbound.js";
import { CONFIG } from "../runtime.ports.js";
import { PactAuthService } from "./pact-auth.service.js";
import { PactClientsController } from "./pact-clients.controller.js";
import { PactController, PactTokenController } from "./pact.controller.js";
import { PactDeliveryService } from "./pact-delivery.service.js";
import { PactGuard } from "./pact.guard.js";
import { PactService } from "./pact.service.js";

@Module({
  controllers: [PactTokenController, PactController, PactClientsController],
  providers: [
    PactAuthService,
    PactService,
    PactDeliveryService,
    PactGuard,
    {
      provide: OutboundPolicy,
      useFactory: (config: Config) => new OutboundPolicy(config.outbound.allow),
      inject: [CONFIG],
    },
  ],
  exports: [PactDeliveryService],
})
export class PactModule {}
