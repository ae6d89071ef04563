package io.campus.auth;

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
      @NotBlank @Email @Size(max = 254) String email,
      @NotNull @Size(max = PasswordPolicy.MAX_BYTES) @StrongPassword String password,
      @NotBlank @Size(max = 100) String displayName) {}

  @RegisterForReflection
  public record LoginRequest(
      @NotBlank @Size(max = 254) String email, @NotNull @Size(max = 72) String password) {}

  @RegisterForReflection
  public record TokenResponse(String token, OffsetDateTime expiresAt, UserView user) {}
}
