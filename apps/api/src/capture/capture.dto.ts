import { ApiProperty } from "@nestjs/swagger";

export class CapturedEventDto {
  @ApiProperty({ example: "ni:///sha-256;ffa491b16867e34a7791a8d5389d826afc24e63a121026b6a4004ace38631b4b?ver=CBV2.0" })
  eventID!: string;

  @ApiProperty({ description: "CBV 2.0 event hash, the event's identity" })
  eventHash!: string;

  @ApiProperty({
    enum: ["created", "exists", "retracted"],
    description:
      "created: stored now; exists: captured before, nothing changed; retracted: an error declaration was applied",
  })
  outcome!: string;
}

/** The GS1 REST binding's capture job, with what happened to each event. */
export class CaptureJobDto {
  @ApiProperty({ format: "uuid" })
  captureID!: string;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty()
  finishedAt!: string;

  @ApiProperty({ description: "Capture is synchronous: always false" })
  running!: boolean;

  @ApiProperty({ description: "A stored job always succeeded; a rejected document gets a problem+json and no job" })
  success!: boolean;

  @ApiProperty({ enum: ["rollback"] })
  captureErrorBehaviour!: "rollback";

  @ApiProperty({ type: [Object] })
  errors!: unknown[];

  @ApiProperty()
  eventCount!: number;

  @ApiProperty({ description: "Events this capture stored (the others existed already)" })
  createdCount!: number;

  @ApiProperty({ type: CapturedEventDto, isArray: true })
  events!: CapturedEventDto[];
}

export class SigningDomainDto {
  @ApiProperty({ example: { name: "CarbonTrace", version: "1", chainId: "31337", verifyingContract: "0x…" } })
  domain!: Record<string, string>;

  @ApiProperty({ example: { EpcisEvent: [{ name: "eventHash", type: "bytes32" }] } })
  types!: Record<string, Array<{ name: string; type: string }>>;

  @ApiProperty({ example: "EpcisEvent" })
  primaryType!: string;

  @ApiProperty({
    description: "The value signed for an event: its CBV 2.0 event hash's sha-256 digest as bytes32",
    example: { eventHash: "0xffa491b16867e34a7791a8d5389d826afc24e63a121026b6a4004ace38631b4b" },
  })
  message!: Record<string, string>;
}
