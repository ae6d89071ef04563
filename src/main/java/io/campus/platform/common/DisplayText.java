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
 * Text that others see: names, titles, categories, skills (single line), and with {@code multiline}
 * descriptions, lesson content and feedback. Such text is shown in lists and pages and put into
 * mails, where a control character or a bidirectional control would forge lines, hide text or
 * reorder the text around it ("Trojan Source"). So it may not hold control characters (C0, C1,
 * DEL), line or paragraph separators, or bidirectional controls (embeddings, overrides, isolates,
 * marks). Free text keeps tab, line feed and carriage return, the line and paragraph separators and
 * the directional marks that mixed-direction prose needs; never embeddings, overrides or isolates.
 * Only characters are checked: null is valid, and length and blankness are the field's own rules,
 * so that the OpenAPI document keeps describing them.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = DisplayText.Validator.class)
public @interface DisplayText {

  /** Free text: tabs and line breaks are allowed. */
  boolean multiline() default false;

  String message() default "";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  class Validator implements ConstraintValidator<DisplayText, String> {
    private static final Pattern SINGLE_LINE =
        Pattern.compile(
            "[\\p{Cc}\\p{Zl}\\p{Zp}\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]");
    private static final Pattern MULTILINE =
        Pattern.compile("[\\p{Cc}\\u202A-\\u202E\\u2066-\\u2069&&[^\\t\\n\\r]]");

    static final String SINGLE_LINE_MESSAGE =
        "must not contain control, line separator or bidirectional control characters";
    static final String MULTILINE_MESSAGE =
        "must not contain control characters other than tab and line breaks,"
            + " nor bidirectional embeddings, overrides or isolates";

    private boolean multiline;

    @Override
    public void initialize(DisplayText annotation) {
      multiline = annotation.multiline();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      String problem = problem(value, multiline);
      if (problem == null) {
        return true;
      }
      context.disableDefaultConstraintViolation();
      context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
      return false;
    }

    /** Why the text is refused, or null; null text is not this rule's concern. */
    public static String problem(String value, boolean multiline) {
      if (value == null) {
        return null;
      }
      if (multiline) {
        return MULTILINE.matcher(value).find() ? MULTILINE_MESSAGE : null;
      }
      return SINGLE_LINE.matcher(value).find() ? SINGLE_LINE_MESSAGE : null;
    }
  }
}
