package io.campus.auth;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The mails of account features, sent through the reactive mailer without waiting for the SMTP
 * server: the HTTP answer neither waits for nor depends on the mail, so its timing tells nothing
 * about whether the address has an account. Failures are logged.
 */
@ApplicationScoped
public class AccountMails {

  private static final Logger LOG = Logger.getLogger(AccountMails.class);
  private static final Pattern ADDRESS = Pattern.compile("[^\\s<>:,;\"']+@[^\\s<>:,;\"']+");

  private final ReactiveMailer mailer;
  private final Optional<String> linkBase;

  public AccountMails(ReactiveMailer mailer, AuthConfig config) {
    this.mailer = mailer;
    this.linkBase = config.accountLinkBase().map(b -> b.replaceAll("/+$", ""));
  }

  void confirmEmail(String to, String name, String token) {
    send(
        to,
        "Confirm your Campus email address",
        "Hello "
            + name
            + ",\n\nplease confirm the email address of your new Campus account"
            + action("confirm-email", token)
            + "If you did not register, ignore this mail.\n");
  }

  void registeredAgain(String to, String name) {
    send(
        to,
        "Someone tried to register with your address",
        "Hello "
            + name
            + ",\n\nsomeone tried to register a new Campus account with this email address, which"
            + " already has one. Nothing was changed. If it was you, log in, or reset your password"
            + " if you forgot it. If it was not you, you can ignore this mail.\n");
  }

  void passwordReset(String to, String name, String token) {
    send(
        to,
        "Reset your Campus password",
        "Hello "
            + name
            + ",\n\nsomeone asked to reset the password of your Campus account"
            + action("reset-password", token)
            + "The token works once and expires soon. Resetting the password logs out every"
            + " session. If you did not ask for this, ignore this mail: your password stays as"
            + " it is.\n");
  }

  private String action(String page, String token) {
    String link =
        linkBase
            .map(
                base ->
                    "\n\n  "
                        + base
                        + "/"
                        + page
                        + "?token="
                        + URLEncoder.encode(token, StandardCharsets.UTF_8))
            .orElse("");
    return link + "\n\nToken: " + token + "\n\n";
  }

  private void send(String to, String subject, String text) {
    // The mailer throws on an address it refuses: as a failure here it is logged, and never fails
    // a request whose rows are already written.
    Uni.createFrom()
        .deferred(() -> mailer.send(Mail.withText(to, subject, text)))
        .subscribe()
        .with(
            ignored -> LOG.debugf("Sent account mail '%s'", subject),
            failure ->
                LOG.warnf("Could not send account mail '%s': %s", subject, describe(failure)));
  }

  /**
   * The failure and its causes with every mail address masked: SMTP replies name the refused
   * recipient, and a log is no place for a user's address.
   */
  static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder();
    // bounded: a cause chain may loop
    for (Throwable t = failure; t != null && text.length() < 2000; t = t.getCause()) {
      if (t != failure) {
        text.append("; caused by ");
      }
      text.append(t.getClass().getName());
      if (t.getMessage() != null) {
        text.append(": ").append(ADDRESS.matcher(t.getMessage()).replaceAll("<address>"));
      }
    }
    return text.toString();
  }
}
