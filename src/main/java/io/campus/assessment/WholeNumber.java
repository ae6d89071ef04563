package io.campus.assessment;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.math.BigDecimal;

/** A decimal without a fractional part: 85 and 85.0 are whole, 85.5 is not. Null is valid. */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = WholeNumber.Check.class)
public @interface WholeNumber {

  String message() default "must be a whole number";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  class Check implements ConstraintValidator<WholeNumber, BigDecimal> {
    @Override
    public boolean isValid(BigDecimal value, ConstraintValidatorContext context) {
      return value == null || value.stripTrailingZeros().scale() <= 0;
    }
  }
}
