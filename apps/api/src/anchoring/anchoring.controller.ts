import { Controller, Get, Param } from "@nestjs/common";
import { ApiOkResponse, ApiOperation, ApiTags } from "@nestjs/swagger";
import { Public } from "../auth/access.decorator.js";
import { IntParam } from "../common/validation.js";
import { AnchoringService } from "./anchoring.service.js";

@ApiTags("anchoring")
@Public()
@Controller("anchoring")
export class AnchoringController {
  constructor(private readonly anchoring: AnchoringService) {}

  @Get()
  @ApiOperation({ summary: "Events per anchoring state, and whether this instance is the anchoring leader" })
  async status(): Promise<Record<string, unknown>> {
    const worker = this.anchoring.status();
    return {
      events: await this.anchoring.counts(),
      worker: {
        leader: worker.leader,
        lastPassAt: worker.lastPassAt?.toISOString() ?? null,
        lastError: worker.lastError ?? null,
      },
    };
  }

  @Get("batches/:id")
  @ApiOperation({ summary: "A batch: its manifest (leaves, tree), root, and where it is anchored" })
  @ApiOkResponse({ description: "The batch" })
  async batch(@Param("id", new IntParam()) id: number): Promise<Record<string, unknown>> {
    const batch = await this.anchoring.batch(id);
    return {
      id: batch.id,
      status: batch.status,
      root: batch.root,
      leafCount: batch.leafCount,
      manifestCid: batch.manifestCid,
      chainId: batch.chainId,
      contract: batch.contract,
      chainBatchId: batch.chainBatchId,
      txHash: batch.txHash,
      blockNumber: batch.blockNumber,
      blockHash: batch.blockHash,
      anchoredAt: batch.anchoredAt?.toISOString() ?? null,
      manifest: batch.manifest,
    };
  }
}
