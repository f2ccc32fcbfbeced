import { Module } from "@nestjs/common";
import { MulterModule } from "@nestjs/platform-express";
import type { Config } from "#config";
import { CONFIG } from "../runtime.ports.js";
import { EvidenceController } from "./evidence.controller.js";
import { EvidenceService } from "./evidence.service.js";

@Module({
  imports: [
    // Files are held in memory (bounded by EVIDENCE_MAX_BYTES) on their way to IPFS; nothing touches disk.
    MulterModule.registerAsync({
      useFactory: (config: Config) => ({
        limits: { fileSize: config.evidence.maxBytes, files: 1, fields: 5 },
      }),
      inject: [CONFIG],
    }),
  ],
  controllers: [EvidenceController],
  providers: [EvidenceService],
})
export class EvidenceModule {}
