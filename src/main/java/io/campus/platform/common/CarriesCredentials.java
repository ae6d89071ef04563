package io.campus.platform.common;

/**
 * A response body holding a credential (a bearer token): no cache may store it, whether or not the
 * request was authenticated (RFC 6749 section 5.1). {@link PrivateByDefault} sees to it.
 */
public interface CarriesCredentials {}
