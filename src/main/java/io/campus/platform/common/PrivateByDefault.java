package io.campus.platform.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Responses to authenticated requests are never stored, by shared caches or the browser's own: they
 * hold one user's data and the token may be revoked. Public resources set their own header. A
 * response carrying a credential (a login's token) is never stored either, whoever asked.
 */
public class PrivateByDefault {

  @ServerResponseFilter
  public void markPrivate(ContainerRequestContext request, ContainerResponseContext response) {
    if (response.getEntity() instanceof CarriesCredentials) {
      response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
      response.getHeaders().putSingle("Pragma", "no-cache");
    } else if (request.getHeaderString(HttpHeaders.AUTHORIZATION) != null
        && !response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
      response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "private, no-store");
    }
  }
}
