import { Module } from "@nestjs/common";
import { ProofsModule } from "../proofs/proofs.module.js";
import { LEDGER } from "../runtime.ports.js";
import { OFFSET_LEDGER, offsetLedgerOf } from "./offset-ledger.js";
import { OffsetService } from "./offset.service.js";
import { OffsetsController } from "./offsets.controller.js";

@Module({
  imports: [ProofsModule],
  controllers: [OffsetsController],
  providers: [OffsetService, { provide: OFFSET_LEDGER, useFactory: offsetLedgerOf, inject: [LEDGER] }],
  exports: [OffsetService],
})
export class OffsetsModule {}
