package io.campus.auth;

import io.campus.platform.common.CarriesCredentials;
import io.campus.user.DisplayName;
import io.campus.user.Role;
import io.campus.user.UserView;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;

/** Request and response bodies of the auth endpoints. */
public final class AuthDtos {

  private AuthDtos() {}

  @RegisterForReflection
  public record RegisterRequest(
      @NotBlank @Email @MailAddress @Size(max = 254) String email,
      @NotNull @Size(max = PasswordPolicy.MAX_BYTES) @StrongPassword String password,
      @DisplayName String displayName) {}

  @RegisterForReflection
  public record LoginRequest(
      @NotBlank @Size(max = 254) String email, @NotNull @Size(max = 72) String password) {}

  @RegisterForReflection
  public record TokenResponse(String token, OffsetDateTime expiresAt, UserView user)
      implements CarriesCredentials {}

  /** The caller's account, and whether its address is confirmed. */
  @RegisterForReflection
  public record Me(long id, String email, String displayName, Role role, boolean emailConfirmed) {}

  @RegisterForReflection
  public record Accepted(String detail) {}

  @RegisterForReflection
  public record ConfirmEmailRequest(@NotBlank @Size(max = Tokens.MAX_TOKEN_LENGTH) String token) {}

  @RegisterForReflection
  public record ChangePasswordRequest(
      @NotNull @Size(max = PasswordPolicy.MAX_BYTES) String currentPassword,
      @NotNull @Size(max = PasswordPolicy.MAX_BYTES) @StrongPassword String newPassword) {}

  @RegisterForReflection
  public record PasswordResetRequest(@NotBlank @Email @MailAddress @Size(max = 254) String email) {}

  @RegisterForReflection
  public record PasswordResetConfirmation(
      @NotBlank @Size(max = Tokens.MAX_TOKEN_LENGTH) String token,
      @NotNull @Size(max = PasswordPolicy.MAX_BYTES) @StrongPassword String newPassword) {}

  /** One of the caller's sessions; the id names it for revoking, the token is never shown. */
  @RegisterForReflection
  public record SessionView(
      long id,
      OffsetDateTime createdAt,
      OffsetDateTime lastUsedAt,
      OffsetDateTime expiresAt,
      String userAgent,
      boolean current) {}
}
