package io.campus.auth;

import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.campus.user.UserView;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/auth")
@Tag(name = "auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

  private final AuthService auth;
  private final SecurityIdentity identity;
  private final LoginThrottle throttle;

  private final AccountService accounts;
  private final PageSize pageSize;

  public AuthResource(
      AuthService auth,
      SecurityIdentity identity,
      LoginThrottle throttle,
      AccountService accounts,
      PageSize pageSize) {
    this.auth = auth;
    this.identity = identity;
    this.throttle = throttle;
    this.accounts = accounts;
    this.pageSize = pageSize;
  }

  /**
   * 202 with the same body whether the address is new or already has an account (no account
   * enumeration): a new account gets a confirmation mail, the owner of a taken address a notice.
   * Log in to get the user.
   */
  @POST
  @Path("/register")
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(
      responseCode = "202",
      description = "Accepted; the same answer whether or not the address is taken",
      content = @Content(schema = @Schema(implementation = AuthDtos.Accepted.class)))
  public Uni<Response> register(@Valid @NotNull AuthDtos.RegisterRequest body) {
    return accounts.register(body).map(ignored -> accepted(REGISTERED));
  }

  @POST
  @Path("/login")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<AuthDtos.TokenResponse> login(
      @Valid @NotNull AuthDtos.LoginRequest body, @HeaderParam("User-Agent") String userAgent) {
    return throttle.guard(body.email(), () -> auth.login(body, userAgent));
  }

  @POST
  @Path("/confirm-email")
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(responseCode = "204", description = "Confirmed")
  public Uni<Response> confirmEmail(@Valid @NotNull AuthDtos.ConfirmEmailRequest body) {
    return accounts.confirmEmail(body.token()).map(ignored -> Response.noContent().build());
  }

  /**
   * Mails the caller a new confirmation token, at most one per mail interval (a repeat within it is
   * answered alike and sends nothing); 409 once the address is confirmed.
   */
  @POST
  @Path("/confirm-email/resend")
  @Authenticated
  @APIResponse(
      responseCode = "202",
      description = "A confirmation mail is on its way (or was sent within the mail interval)",
      content = @Content(schema = @Schema(implementation = AuthDtos.Accepted.class)))
  public Uni<Response> resendConfirmation() {
    UserView caller = Caller.of(identity);
    if (Caller.emailConfirmed(identity)) {
      return Uni.createFrom()
          .failure(ProblemException.conflict("This email address is confirmed already."));
    }
    return accounts.resendConfirmation(caller).map(ignored -> accepted(CONFIRMATION_MAILED));
  }

  /** Needs the current password; ends every other session of the caller. */
  @POST
  @Path("/password")
  @Authenticated
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(responseCode = "204", description = "Changed")
  public Uni<Response> changePassword(@Valid @NotNull AuthDtos.ChangePasswordRequest body) {
    UserView caller = Caller.of(identity);
    // Guessing the current password with a stolen session is guessing a login password.
    return throttle
        .guard(
            caller.email(),
            () ->
                accounts.changePassword(
                    caller.id(),
                    caller.email(),
                    Caller.sessionId(identity),
                    body.currentPassword(),
                    body.newPassword()),
            403)
        .map(ignored -> Response.noContent().build());
  }

  /** Always 202: a reset token is mailed only when the address has an account. */
  @POST
  @Path("/password-reset")
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(
      responseCode = "202",
      description = "Accepted; the same answer whether or not the address has an account",
      content = @Content(schema = @Schema(implementation = AuthDtos.Accepted.class)))
  public Uni<Response> requestPasswordReset(@Valid @NotNull AuthDtos.PasswordResetRequest body) {
    return accounts.requestPasswordReset(body.email()).map(ignored -> accepted(RESET_MAILED));
  }

  /** Sets a new password with a mailed token and ends every session of the account. */
  @POST
  @Path("/password-reset/confirm")
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(responseCode = "204", description = "Password set; every session ended")
  public Uni<Response> confirmPasswordReset(
      @Valid @NotNull AuthDtos.PasswordResetConfirmation body) {
    return accounts
        .resetPassword(body.token(), body.newPassword())
        .map(ignored -> Response.noContent().build());
  }

  /** The caller's live sessions, newest first; {@code current} marks the calling one. */
  @GET
  @Path("/sessions")
  @Authenticated
  public Uni<Page<AuthDtos.SessionView>> sessions(
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    UserView caller = Caller.of(identity);
    return accounts.sessions(
        caller.id(), Caller.sessionId(identity), cursor, pageSize.resolve(limit));
  }

  /** Ends one of the caller's sessions (another user's is a 404). */
  @DELETE
  @Path("/sessions/{sessionId}")
  @Authenticated
  @APIResponse(responseCode = "204", description = "Ended")
  public Uni<Response> revokeSession(@PathParam("sessionId") @Positive long sessionId) {
    return accounts
        .revokeSession(Caller.of(identity).id(), sessionId)
        .map(ignored -> Response.noContent().build());
  }

  /** Logs the caller out everywhere, this session included. */
  @DELETE
  @Path("/sessions")
  @Authenticated
  @APIResponse(responseCode = "204", description = "Every session ended")
  public Uni<Response> revokeAllSessions() {
    return accounts
        .revokeAllSessions(Caller.of(identity).id())
        .map(ignored -> Response.noContent().build());
  }

  private static final String REGISTERED =
      "If this address can be registered, a confirmation mail is on its way; then log in.";
  private static final String CONFIRMATION_MAILED =
      "A confirmation mail is on its way, unless one was sent a moment ago.";
  private static final String RESET_MAILED =
      "If this address has an account, a mail with a reset token is on its way.";

  private static Response accepted(String detail) {
    return Response.accepted(new AuthDtos.Accepted(detail)).build();
  }

  @POST
  @Path("/logout")
  @Authenticated
  @APIResponse(responseCode = "204", description = "Logged out")
  public Uni<Response> logout(@HeaderParam("Authorization") String authorization) {
    return auth.logout(authorization).map(ignored -> Response.noContent().build());
  }

  @GET
  @Path("/me")
  @Authenticated
  @NonBlocking
  public AuthDtos.Me me() {
    UserView user = Caller.of(identity);
    return new AuthDtos.Me(
        user.id(), user.email(), user.displayName(), user.role(), Caller.emailConfirmed(identity));
  }
}
