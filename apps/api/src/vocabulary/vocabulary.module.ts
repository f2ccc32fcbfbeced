import { Module } from "@nestjs/common";
import { VocabularyController } from "./vocabulary.controller.js";

@Module({ controllers: [VocabularyController] })
export class VocabularyModule {}
