package io.campus.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Responses to authenticated requests must never be stored by shared caches. */
public class PrivateByDefault {

  @ServerResponseFilter
  public void markPrivate(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getHeaderString(HttpHeaders.AUTHORIZATION) != null
        && !response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
      response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "private, no-cache");
    }
  }
}
