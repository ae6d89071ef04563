import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The benchmark's floor: what raw Vert.x HTTP plus one pipelined PostgreSQL connection per event
 * loop reach on this machine, with nothing of Campus in between. Started by bench/run.sh beside
 * the app (same JDK, same PostgreSQL), from the app's own Vert.x jars:
 *
 * <pre>
 *   java -cp 'target/quarkus-app/lib/main/*' bench/floor/FloorServer.java PORT PGHOST PGPORT DB USER
 * </pre>
 *
 * GET /json: a constant JSON object. GET /db: one row of the 10 000-row table {@code world} by
 * primary key. GET /update: the same row read, then its number changed by a single-row UPDATE
 * (autocommit). GET /blob/N: a constant JSON object of N bytes (up to 65 536), to set a response
 * of Campus's size beside the tiny /json. One verticle per core, each with its own HTTP server on the shared port and its
 * own connection, which pipelines up to 256 statements.
 */
public class FloorServer extends AbstractVerticle {

  private static final Buffer HELLO =
      new JsonObject().put("message", "Hello, World!").toBuffer();
  private static final String SELECT = "SELECT id, randomnumber FROM world WHERE id = $1";
  private static final String UPDATE = "UPDATE world SET randomnumber = $1 WHERE id = $2";

  private static final Map<Integer, Buffer> BLOBS = new ConcurrentHashMap<>();

  private static int port;
  private static PgConnectOptions database;
  private PgConnection connection;

  public static void main(String[] args) {
    port = Integer.parseInt(args[0]);
    database =
        new PgConnectOptions()
            .setHost(args[1])
            .setPort(Integer.parseInt(args[2]))
            .setDatabase(args[3])
            .setUser(args[4])
            .setPipeliningLimit(256)
            .setCachePreparedStatements(true);
    int loops = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    vertx
        .deployVerticle(FloorServer::new, new DeploymentOptions().setInstances(loops))
        .onSuccess(id -> System.out.println("floor server listening on " + port))
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(1);
            });
  }

  @Override
  public void start(Promise<Void> started) {
    PgConnection.connect(vertx, database)
        .compose(
            c -> {
              connection = c;
              return vertx
                  .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                  .requestHandler(this::handle)
                  .listen();
            })
        .<Void>mapEmpty()
        .onComplete(started);
  }

  private void handle(HttpServerRequest request) {
    switch (request.path()) {
      case "/json" -> send(request, HELLO);
      case "/db" -> {
        int id = randomId();
        connection
            .preparedQuery(SELECT)
            .execute(Tuple.of(id))
            .onSuccess(rows -> send(request, world(rows.iterator().next())))
            .onFailure(e -> fail(request, e));
      }
      case "/update" -> {
        int id = randomId();
        int number = randomId();
        connection
            .preparedQuery(SELECT)
            .execute(Tuple.of(id))
            .compose(rows -> connection.preparedQuery(UPDATE).execute(Tuple.of(number, id)))
            .onSuccess(
                done ->
                    send(request, new JsonObject().put("id", id).put("randomNumber", number).toBuffer()))
            .onFailure(e -> fail(request, e));
      }
      default -> {
        int size = blobSize(request.path());
        if (size < 0) {
          request.response().setStatusCode(404).end();
        } else {
          send(request, BLOBS.computeIfAbsent(size, FloorServer::blob));
        }
      }
    }
  }

  private static int blobSize(String path) {
    if (!path.startsWith("/blob/")) {
      return -1;
    }
    try {
      int size = Integer.parseInt(path.substring("/blob/".length()));
      return size >= 11 && size <= 65_536 ? size : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** {"blob":"xxx…"} of exactly {@code size} bytes. */
  private static Buffer blob(int size) {
    return Buffer.buffer("{\"blob\":\"" + "x".repeat(size - 11) + "\"}");
  }

  private static Buffer world(Row row) {
    return new JsonObject()
        .put("id", row.getInteger(0))
        .put("randomNumber", row.getInteger(1))
        .toBuffer();
  }

  private static int randomId() {
    return 1 + ThreadLocalRandom.current().nextInt(10_000);
  }

  private static void send(HttpServerRequest request, Buffer body) {
    request.response().putHeader("Content-Type", "application/json").end(body);
  }

  private static void fail(HttpServerRequest request, Throwable e) {
    request.response().setStatusCode(500).end(String.valueOf(e.getMessage()));
  }
}
