package io.campus.user;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Pattern;

/**
 * A display name, wherever one is set: 1-100 characters, not blank, without control characters,
 * line separators or bidirectional controls (the name is shown to others and put into mails, where
 * those would forge lines or reorder the text around it).
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
    private static final Pattern FORBIDDEN =
        Pattern.compile(
            "[\\p{Cc}\\p{Zl}\\p{Zp}\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]");

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
      if (FORBIDDEN.matcher(value).find()) {
        return "must not contain control, line separator or bidirectional control characters";
      }
      return null;
    }
  }
}
