package io.campus.assessment;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Text as it is stored: at most {@code max} characters counted as code points (an emoji is one); a
 * NUL never gets this far ({@link io.campus.platform.common.StrictJson} refuses it while the body
 * is read). A {@code required} text is stripped of surrounding whitespace first and must not be
 * empty; null is valid otherwise. One violation at most, with the message of the first rule broken.
 */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = PlainText.Check.class)
public @interface PlainText {

  int max();

  boolean required() default false;

  String message() default "";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  class Check implements ConstraintValidator<PlainText, String> {
    private int max;
    private boolean required;

    @Override
    public void initialize(PlainText annotation) {
      max = annotation.max();
      required = annotation.required();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      String text = value == null ? "" : required ? value.strip() : value;
      String problem;
      if (required && text.isEmpty()) {
        problem = "is required";
      } else if (text.codePointCount(0, text.length()) > max) {
        problem = "must be at most " + max + " characters";
      } else {
        return true;
      }
      context.disableDefaultConstraintViolation();
      context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
      return false;
    }
  }
}
