import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's open-loop client: requests start on a fixed schedule whatever the answers, and
 * each one's latency counts from its scheduled start, so a server that falls behind shows it as
 * latency instead of slowing the load down (no coordinated omission). A Vert.x HTTP client on one
 * event loop, started once per benchmark by bench/lib/bench.mjs from the app's own jars, so that
 * its JIT is warm for every run after the first:
 *
 * <pre>
 *   java -cp 'target/quarkus-app/lib/main/*' bench/lib/OpenLoop.java
 * </pre>
 *
 * Each line on stdin is one run, tab separated: BASE URL, REQUESTS file, RATE per second, SECONDS,
 * TAG. REQUESTS has one request per line, tab separated as for wrk (bench/lib/requests.lua):
 * METHOD, PATH, TOKEN (may be empty), BODY (may be empty; "{{SEQ}}" becomes TAG and the request's
 * number). For each run it prints one JSON line: n, seconds, p50/p95/p99/max (ms), rps (answers
 * below 400 per second), errors (status 0 for no answer within 30 s or a failed connection, or
 * >= 400) and codes.
 */
public class OpenLoop {

  private record Spec(HttpMethod method, String path, String token, String body) {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      String[] run = line.split("\t");
      if (run.length < 5) {
        continue;
      }
      JsonObject result =
          run(
              vertx,
              URI.create(run[0]),
              Path.of(run[1]),
              Double.parseDouble(run[2]),
              Double.parseDouble(run[3]),
              run[4]);
      System.out.println(result.encode());
      System.out.flush();
    }
    vertx.close();
  }

  private static JsonObject run(
      Vertx vertx, URI base, Path requests, double rate, double seconds, String tag)
      throws Exception {
    List<Spec> specs = new ArrayList<>();
    for (String line : Files.readAllLines(requests)) {
      String[] f = line.split("\t", 4);
      if (f.length == 4) {
        specs.add(new Spec(HttpMethod.valueOf(f[0]), f[1], f[2], f[3]));
      }
    }
    int total = (int) Math.round(rate * seconds);
    // A client per run: no connection of a run that overloaded the server is reused by the next.
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort())
                .setKeepAlive(true)
                .setConnectTimeout(10_000),
            // As many connections as requests in flight: the schedule must not wait for a free one.
            new PoolOptions().setHttp1MaxSize(10_000).setMaxWaitQueueSize(-1));

    long[] latency = new long[total];
    int[] status = new int[total];
    CountDownLatch finished = new CountDownLatch(total);
    long start = System.nanoTime();
    long interval = (long) (1e9 / rate);
    int[] sent = {0};
    vertx.setPeriodic(
        1,
        timer -> {
          long now = System.nanoTime();
          int due = (int) Math.min(total, (now - start) / interval + 1);
          for (; sent[0] < due; sent[0]++) {
            int i = sent[0];
            long scheduled = start + i * interval;
            Spec spec = specs.get(i % specs.size());
            RequestOptions options =
                new RequestOptions()
                    .setMethod(spec.method())
                    .setURI(spec.path())
                    .setIdleTimeout(30_000);
            options.putHeader("accept", "application/json");
            if (!spec.token().isEmpty()) {
              options.putHeader("authorization", "Bearer " + spec.token());
            }
            Buffer body =
                spec.body().isEmpty()
                    ? null
                    : Buffer.buffer(spec.body().replace("{{SEQ}}", tag + "-" + i));
            if (body != null) {
              options.putHeader("content-type", "application/json");
            }
            client
                .request(options)
                .compose(req -> body == null ? req.send() : req.send(body))
                .compose(res -> res.body().map(ignored -> res.statusCode()))
                .onComplete(
                    ar -> {
                      latency[i] = System.nanoTime() - scheduled;
                      status[i] = ar.succeeded() ? ar.result() : 0;
                      finished.countDown();
                    });
          }
          if (sent[0] >= total) {
            vertx.cancelTimer(timer);
          }
        });
    if (!finished.await((long) (seconds + 60), TimeUnit.SECONDS)) {
      System.err.println("open loop: answers still missing 60 s after the last request");
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    long[] sorted = Arrays.copyOf(latency, total);
    Arrays.sort(sorted);
    TreeMap<String, Integer> codes = new TreeMap<>();
    int errors = 0;
    for (int s : status) {
      codes.merge(String.valueOf(s), 1, Integer::sum);
      if (s == 0 || s >= 400) {
        errors++;
      }
    }
    JsonObject byCode = new JsonObject();
    codes.forEach(byCode::put);
    return new JsonObject()
        .put("n", total)
        .put("seconds", elapsed)
        .put("p50", percentile(sorted, 50))
        .put("p95", percentile(sorted, 95))
        .put("p99", percentile(sorted, 99))
        .put("max", total == 0 ? null : sorted[total - 1] / 1e6)
        .put("rps", (total - errors) / elapsed)
        .put("errors", errors)
        .put("codes", byCode);
  }

  private static Double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] / 1e6;
  }
}
