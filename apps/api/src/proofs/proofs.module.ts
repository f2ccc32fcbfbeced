import { Module } from "@nestjs/common";
import { FactorsModule } from "../factors/factors.module.js";
import { AttestationService } from "./attestation.service.js";
import { LotAccess } from "./lot-access.js";
import { ProofsController } from "./lots.controller.js";
import { ProofService } from "./proof.service.js";

@Module({
  imports: [FactorsModule],
  controllers: [ProofsController],
  providers: [ProofService, AttestationService, LotAccess],
  exports: [ProofService, LotAccess],
})
export class ProofsModule {}
