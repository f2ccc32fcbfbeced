import { Module } from "@nestjs/common";
import { MulterModule } from "@nestjs/platform-express";
import type { Runtime } from "#runtime";
import { RUNTIME } from "../runtime.tokens.js";
import { EvidenceController } from "./evidence.controller.js";
import { EvidenceService } from "./evidence.service.js";

@Module({
  imports: [
    // Files are held in memory (bounded by EVIDENCE_MAX_BYTES) on their way to IPFS; nothing touches disk.
    MulterModule.registerAsync({
      useFactory: (runtime: Runtime) => ({
        limits: { fileSize: runtime.config.evidence.maxBytes, files: 1, fields: 5 },
      }),
      inject: [RUNTIME],
    }),
  ],
  controllers: [EvidenceController],
  providers: [EvidenceService],
})
export class EvidenceModule {}
