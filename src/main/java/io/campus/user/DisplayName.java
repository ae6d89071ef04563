package io.campus.user;

import io.campus.platform.common.DisplayText;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A display name, wherever one is set: 1-100 characters, not blank, and {@link DisplayText} (no
 * control characters, line separators or bidirectional controls).
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = DisplayName.Validator.class)
public @interface DisplayName {

  int MAX_LENGTH = 100;

  String message() default "is not an acceptable display name";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  class Validator implements ConstraintValidator<DisplayName, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      String problem = problem(value);
      if (problem == null) {
        return true;
      }
      context.disableDefaultConstraintViolation();
      context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
      return false;
    }

    /** Why the name is refused, or null. Names are stored stripped. */
    static String problem(String value) {
      if (value == null || value.isBlank()) {
        return "must not be blank";
      }
      if (value.length() > MAX_LENGTH) {
        return "must be at most " + MAX_LENGTH + " characters";
      }
      return DisplayText.Validator.problem(value, false);
    }
  }
}
