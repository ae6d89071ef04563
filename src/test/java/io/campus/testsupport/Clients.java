package io.campus.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests from a client address of their own. Login, registration and the other account endpoints
 * share a rate-limit bucket per client address; tests that call them from the one test address
 * would drain it for every later test class on the same application.
 */
public final class Clients {

  private static final AtomicInteger NEXT = new AtomicInteger();

  private Clients() {}

  /** A request from an address no other request of this run used (the test peer is trusted). */
  public static RequestSpecification fresh() {
    int n = NEXT.incrementAndGet();
    return given().header("X-Forwarded-For", "10.200." + (n / 250 % 250) + "." + (n % 250 + 1));
  }
}
