package io.campus.testsupport;

/** Measures what a piece of work asks of PostgreSQL, through {@link PgWireCounter}. */
public final class Statements {

  private Statements() {}

  public static PgWireCounter.Counts count(Runnable work) {
    PgWireCounter.reset();
    work.run();
    return PgWireCounter.counts();
  }
}
