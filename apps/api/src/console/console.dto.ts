import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { IsEthereumAddress, IsInt, IsString, Length, Max, Min } from "class-validator";
import { Optional } from "../common/validation.js";
import { INVITATION_HOURS } from "./console-access.service.js";

export class CreateInvitationDto {
  @ApiPropertyOptional({
    example: INVITATION_HOURS.default,
    description: `How long the link works, in hours (default ${String(INVITATION_HOURS.default)}, at most ${String(INVITATION_HOURS.max)})`,
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(INVITATION_HOURS.max)
  expiresInHours?: number;
}

export class InvitationDto {
  @ApiProperty({ example: "3f2a9c1e0b7d4a55" })
  id!: string;

  @ApiProperty({ format: "uuid" })
  participant!: string;

  @ApiProperty({ format: "date-time" })
  createdAt!: string;

  @ApiProperty({ format: "date-time" })
  expiresAt!: string;

  @ApiProperty({ enum: ["open", "used", "expired", "revoked"] })
  status!: string;
}

export class IssuedInvitationDto extends InvitationDto {
  @ApiProperty({
    description:
      "The one-time link, shown only in this answer: the secret is in the fragment (#…), which browsers never send to a server",
    example: "https://trace.example.com/console/join#cti_3f2a9c1e0b7d4a55_…",
  })
  url!: string;

  @ApiProperty({ description: "The same link as a QR code (SVG), to scan with the partner's phone" })
  qrSvg!: string;
}

export class JoinDto {
  @ApiProperty({ description: "The invitation token (the link's fragment, after #)", example: "cti_…" })
  @IsString()
  @Length(1, 200)
  invitation!: string;

  @ApiProperty({ example: "li.wei", description: "3 to 40 of a–z, 0–9, dot, dash, underscore" })
  @IsString()
  @Length(1, 100)
  username!: string;

  @ApiProperty({ description: "12 to 200 characters", example: "green bottles become boxes" })
  @IsString()
  @Length(1, 1000)
  passphrase!: string;
}

export class SignInDto {
  @ApiProperty({ example: "li.wei" })
  @IsString()
  @Length(1, 100)
  username!: string;

  @ApiProperty({ example: "green bottles become boxes" })
  @IsString()
  @Length(1, 1000)
  passphrase!: string;
}

export class ConsoleSessionDto {
  @ApiProperty({ example: "li.wei" })
  username!: string;

  @ApiProperty({ format: "uuid" })
  participant!: string;

  @ApiProperty({ example: "Green Source Recycling" })
  organisation!: string;

  @ApiProperty({ description: "Send it back as `X-CSRF-Token` with every POST, PUT, PATCH or DELETE of this session" })
  csrfToken!: string;

  @ApiProperty({ example: "9ab0c3d4e5f60718" })
  session!: string;
}

export class SessionDto {
  @ApiProperty({ example: "9ab0c3d4e5f60718" })
  id!: string;

  @ApiProperty({ nullable: true, type: String })
  userAgent!: string | null;

  @ApiProperty({ format: "date-time" })
  createdAt!: string;

  @ApiProperty({ format: "date-time" })
  lastSeenAt!: string;

  @ApiProperty({ format: "date-time" })
  expiresAt!: string;

  @ApiProperty({ description: "This browser's own session" })
  current!: boolean;
}

export class OwnKeyDto {
  @ApiProperty({ example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", description: "The new key's address" })
  @IsEthereumAddress()
  address!: string;

  @ApiProperty({
    description:
      "EIP-712 signature by that key of KeyPossession(string participant, string statement) in the ledger's signing domain (GET /capture/signing-domain)",
    example: "0x…",
  })
  @IsString()
  @Length(132, 132)
  signature!: string;
}
