import {
  applyDecorators,
  ValidationPipe,
  type ArgumentMetadata,
  type PipeTransform,
  type ValidationError,
} from "@nestjs/common";
import { IsObject, ValidateIf } from "class-validator";
import { DomainError } from "#common";

interface FieldProblem {
  readonly field: string;
  readonly problems: string[];
}

function flatten(errors: ValidationError[], prefix = ""): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix === "" ? error.property : `${prefix}.${error.property}`;
    const own = error.constraints === undefined ? [] : [{ field, problems: Object.values(error.constraints) }];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** DTO validation: unknown properties are rejected, and every failing field is listed in the problem. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new DomainError(
        "REQUEST.VALIDATION_FAILED",
        "invalid",
        fields.map((f) => `${f.field}: ${f.problems.join(", ")}`).join("; "),
        { errors: fields },
      );
    },
  });
}

/**
 * An integer path parameter in [min, max] (PostgreSQL `integer` ids by default): anything else is a 400 with the
 * parameter named, never an overflow in the database.
 */
export class IntParam implements PipeTransform<string, number> {
  constructor(
    private readonly min = 1,
    private readonly max = 2_147_483_647,
  ) {}

  transform(value: string, metadata: ArgumentMetadata): number {
    const parsed = /^-?\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < this.min || parsed > this.max) {
      throw new DomainError(
        "REQUEST.VALIDATION_FAILED",
        "invalid",
        `${metadata.data ?? "parameter"}: must be an integer from ${String(this.min)} to ${String(this.max)}`,
        { errors: [{ field: metadata.data ?? "parameter", problems: ["out of range"] }] },
      );
    }
    return parsed;
  }
}

/**
 * An optional property: absent is fine, but `null` is validated like any value (and so refused by the property's
 * own validators). class-validator's IsOptional would let `null` through to code that expects a value.
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/** An optional nested object: absent is fine, `null` or a non-object is refused. */
export function OptionalObject(): PropertyDecorator {
  return applyDecorators(Optional(), IsObject());
}
