package io.campus.auth;

import io.vertx.ext.mail.mailencoder.EmailAddress;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;

/**
 * An address Campus can mail: one the mailer accepts as it is (it throws on others, such as a
 * quoted local part with a space or comma), at a domain name of at least two labels, outside the
 * reserved {@code .invalid} top-level domain (RFC 6761: it never receives mail, and deleted
 * accounts are renamed into it).
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = MailAddress.Validator.class)
public @interface MailAddress {

  String message() default "is not an address Campus can send mail to";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  class Validator implements ConstraintValidator<MailAddress, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      return value == null || mailable(value); // @NotBlank says so
    }

    /** Whether the address, as the account features store it (trimmed), can be mailed. */
    static boolean mailable(String value) {
      String address = value.trim();
      try {
        // The mailer's own parser; a display name or comment form would mail someone else.
        if (!address.equals(new EmailAddress(address).getEmail())) {
          return false;
        }
      } catch (IllegalArgumentException e) {
        return false;
      }
      String domain = address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
      if (domain.endsWith(".")) {
        domain = domain.substring(0, domain.length() - 1);
      }
      // A host name of one label (localhost, an intranet name) or an address literal is no
      // mailbox on the internet: mail to it goes nowhere, or somewhere inside our own network.
      if (domain.startsWith("[") || domain.indexOf('.') < 0) {
        return false;
      }
      return !domain.equals("invalid") && !domain.endsWith(".invalid");
    }
  }
}
