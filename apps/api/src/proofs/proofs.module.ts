import { Module } from "@nestjs/common";
import { AttestationService } from "./attestation.service.js";
import { ProofsController } from "./lots.controller.js";
import { ProofService } from "./proof.service.js";

@Module({ controllers: [ProofsController], providers: [ProofService, AttestationService], exports: [ProofService] })
export class ProofsModule {}
