package io.campus.testsupport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy between the service's reactive pool and PostgreSQL that reads the frontend side of
 * the wire protocol and counts what the service asks of the database: every statement executed
 * (simple-protocol {@code Query} or extended-protocol {@code Execute}) and every round trip that
 * executes something (a {@code Sync} closing a batch with an {@code Execute}, or a {@code Query}).
 * It sits below Hibernate Reactive and the raw pool alike, so both are counted exactly; statement
 * preparation (Parse/Describe without Execute) is not counted, so counts do not depend on which
 * pooled connection had the statement cached. The readiness probe's connection is not counted.
 *
 * <p>It also reads the backend's {@code ReadyForQuery} messages, so it knows how many executing
 * round trips each connection has sent and not yet seen answered ({@link #maxInFlight()}), and
 * which connections executed statements ({@link #connectionsUsed()}). A connection that is not
 * pipelined can still reach 2: its client may write the next command once the previous result is
 * complete, before that result's ReadyForQuery has arrived.
 */
public final class PgWireCounter implements Closeable {

  private static final int SSL_REQUEST = 80877103;
  private static final int GSS_REQUEST = 80877104;

  private static final AtomicLong STATEMENTS = new AtomicLong();
  private static final AtomicLong ROUND_TRIPS = new AtomicLong();
  private static final AtomicInteger MAX_IN_FLIGHT = new AtomicInteger();
  private static final java.util.Set<Conversation> EXECUTING =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  public PgWireCounter(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    Thread acceptor = new Thread(this::acceptLoop, "pg-wire-counter");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Statements and executing round trips since the last {@link #reset()}. */
  public record Counts(long statements, long roundTrips) {}

  public static void reset() {
    STATEMENTS.set(0);
    ROUND_TRIPS.set(0);
    MAX_IN_FLIGHT.set(0);
    EXECUTING.clear();
  }

  /** Connections that executed a statement since the last reset. */
  public static int connectionsUsed() {
    return EXECUTING.size();
  }

  /** The most Syncs/Queries one connection had unanswered at once since the last reset. */
  public static int maxInFlight() {
    return MAX_IN_FLIGHT.get();
  }

  /** What one proxied connection has sent and not yet seen answered. */
  private static final class Conversation {
    final AtomicInteger inFlight = new AtomicInteger();
    volatile boolean sslAnswerPending;
  }

  public static Counts counts() {
    return new Counts(STATEMENTS.get(), ROUND_TRIPS.get());
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(targetHost, targetPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        Conversation conversation = new Conversation();
        // When either side ends, the other must see it end too: a client closing its pool waits
        // for the server's side of the socket to close.
        Runnable closeBoth =
            () -> {
              closeQuietly(client);
              closeQuietly(upstream);
            };
        start(
            "pg-wire-up",
            () -> frontend(client.getInputStream(), upstream.getOutputStream(), conversation),
            closeBoth);
        start(
            "pg-wire-down",
            () -> backend(upstream.getInputStream(), client.getOutputStream(), conversation),
            closeBoth);
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private interface IoTask {
    void run() throws IOException;
  }

  private void start(String name, IoTask task, Runnable whenDone) {
    Thread thread =
        new Thread(
            () -> {
              try {
                task.run();
              } catch (IOException ignored) {
                // connection closed by either side
              } finally {
                whenDone.run();
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Forwards client messages, counting them; the first message(s) have no type byte. */
  private static void frontend(InputStream rawIn, OutputStream rawOut, Conversation conversation)
      throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(rawIn));
    OutputStream out = new BufferedOutputStream(rawOut);
    boolean startup = true;
    boolean counted = true;
    boolean executeSinceSync = false;
    byte[] buffer = new byte[8192];
    while (true) {
      int type = -1;
      if (!startup) {
        type = in.read();
        if (type < 0) {
          return;
        }
        out.write(type);
      }
      int length = in.readInt();
      writeInt(out, length);
      if (startup) {
        int code = in.readInt();
        conversation.sslAnswerPending = code == SSL_REQUEST || code == GSS_REQUEST;
        writeInt(out, code);
        byte[] parameters = in.readNBytes(length - 8);
        out.write(parameters);
        // The readiness probe's own connection is background traffic, not work of a request.
        counted =
            !new String(parameters, java.nio.charset.StandardCharsets.UTF_8)
                .contains("campus-probe");
        startup = code == SSL_REQUEST || code == GSS_REQUEST;
      } else if (!counted) {
        forward(in, out, length - 4, buffer);
      } else {
        switch (type) {
          case 'Q' -> {
            STATEMENTS.incrementAndGet();
            ROUND_TRIPS.incrementAndGet();
            sent(conversation);
          }
          case 'E' -> {
            STATEMENTS.incrementAndGet();
            executeSinceSync = true;
            EXECUTING.add(conversation);
          }
          case 'S' -> {
            if (executeSinceSync) {
              ROUND_TRIPS.incrementAndGet();
            }
            executeSinceSync = false;
            sent(conversation);
          }
          default -> {}
        }
        forward(in, out, length - 4, buffer);
      }
      if (in.available() == 0) {
        out.flush();
      }
    }
  }

  private static void sent(Conversation conversation) {
    int now = conversation.inFlight.incrementAndGet();
    MAX_IN_FLIGHT.accumulateAndGet(now, Math::max);
  }

  /** Forwards backend messages, noting each ReadyForQuery (the answer to a Sync or Query). */
  private static void backend(InputStream rawIn, OutputStream rawOut, Conversation conversation)
      throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(rawIn));
    OutputStream out = new BufferedOutputStream(rawOut);
    byte[] buffer = new byte[16384];
    while (true) {
      int type = in.read();
      if (type < 0) {
        return;
      }
      out.write(type);
      if (conversation.sslAnswerPending) {
        // A one-byte answer to an SSL/GSS request; after a yes the rest is encrypted.
        conversation.sslAnswerPending = false;
        if (type != 'N') {
          out.flush();
          copy(in, rawOut);
          return;
        }
        out.flush();
        continue;
      }
      int length = in.readInt();
      writeInt(out, length);
      if (type == 'Z') {
        conversation.inFlight.updateAndGet(n -> Math.max(0, n - 1));
      }
      forward(in, out, length - 4, buffer);
      if (in.available() == 0) {
        out.flush();
      }
    }
  }

  private static void forward(DataInputStream in, OutputStream out, int count, byte[] buffer)
      throws IOException {
    int remaining = count;
    while (remaining > 0) {
      int n = in.read(buffer, 0, Math.min(buffer.length, remaining));
      if (n < 0) {
        throw new IOException("connection closed mid-message");
      }
      out.write(buffer, 0, n);
      remaining -= n;
    }
  }

  private static void copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[16384];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
      out.flush();
    }
  }

  private static void writeInt(OutputStream out, int value) throws IOException {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
