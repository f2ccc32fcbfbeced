import { Module } from "@nestjs/common";
import { FactorLibraryService } from "./factor-library.service.js";
import { FactorsController } from "./factors.controller.js";

@Module({ controllers: [FactorsController], providers: [FactorLibraryService], exports: [FactorLibraryService] })
export class FactorsModule {}
