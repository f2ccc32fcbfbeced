import { Module } from "@nestjs/common";
import type { Runtime } from "#runtime";
import { OutboundPolicy } from "../common/outbound.js";
import { RUNTIME } from "../runtime.tokens.js";
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
      useFactory: (runtime: Runtime) => new OutboundPolicy(runtime.config.outbound.allow),
      inject: [RUNTIME],
    },
  ],
  exports: [PactDeliveryService],
})
export class PactModule {}
