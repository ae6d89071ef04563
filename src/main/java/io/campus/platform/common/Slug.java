package io.campus.platform.common;

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
 * A URL slug: lowercase letters and digits in runs separated by single hyphens, at most {@link
 * #MAX_LENGTH} characters. The length is checked before any pattern runs, and the pattern has no
 * repeated group: {@code ^[a-z0-9]+(-[a-z0-9]+)*$} recurses once per hyphen in {@code
 * java.util.regex} and overflowed the stack on a 12 KB value.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Slug.Validator.class)
public @interface Slug {

  int MAX_LENGTH = 80;

  String message() default
      "must be at most 80 lowercase letters and digits separated by single hyphens";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Lookaheads over flat character classes only: linear time, constant stack. */
  Pattern PATTERN = Pattern.compile("^(?!-)(?!.*--)(?!.*-$)[a-z0-9-]+$");

  class Validator implements ConstraintValidator<Slug, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      return value == null
          || (!value.isEmpty() && value.length() <= MAX_LENGTH && PATTERN.matcher(value).matches());
    }
  }
}
