import { Module } from "@nestjs/common";
import type { Config } from "#config";
import { OutboundPolicy } from "../common/outbound.js";
import { EventsModule } from "../events/events.module.js";
import { CONFIG } from "../runtime.ports.js";
import { QueriesController } from "./queries.controller.js";
import { QueriesService } from "./queries.service.js";
import { QueryStreams } from "./query-streams.js";
import { SubscriptionDeliveryService } from "./subscription-delivery.service.js";

@Module({
  imports: [EventsModule],
  controllers: [QueriesController],
  providers: [
    QueriesService,
    SubscriptionDeliveryService,
    QueryStreams,
    {
      provide: OutboundPolicy,
      useFactory: (config: Config) => new OutboundPolicy(config.outbound.allow),
      inject: [CONFIG],
    },
  ],
  exports: [SubscriptionDeliveryService, QueryStreams],
})
export class QueriesModule {}
