import { ValidationPipe, type ValidationError } from "@nestjs/common";
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
