import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The benchmark's load client for what wrk cannot do: a fixed arrival rate, users who think, and
 * the latency of successful answers apart from that of refusals. A Vert.x HTTP client on one event
 * loop, started once per benchmark by bench/lib/bench.mjs from the app's own jars, so that its JIT
 * is warm for every run after the first:
 *
 * <pre>
 *   java -cp 'target/quarkus-app/lib/main/*' bench/lib/OpenLoop.java
 * </pre>
 *
 * Each line on stdin is one run, tab separated: BASE URL, REQUESTS file, LOAD, SECONDS, TAG. LOAD
 * is one of
 *
 * <ul>
 *   <li>a rate per second: open loop. Requests start on a fixed schedule whatever the answers, and
 *       each one's latency counts from its scheduled start, so a server that falls behind shows it
 *       as latency instead of slowing the load down (no coordinated omission);
 *   <li>{@code users=N}: N users who each send a request, wait for its answer, think 2-5 s and
 *       start again; the first requests are spread over one think time.
 * </ul>
 *
 * REQUESTS has one request per line, tab separated as for wrk (bench/lib/requests.lua): METHOD,
 * PATH, TOKEN (may be empty), BODY (may be empty; "{{SEQ}}" becomes TAG and the request's number).
 * For each run it prints one JSON line: n, seconds, p50/p95/p99/max (ms, all answers), rps
 * (answers below 400 per second), errors (status 0 for no answer within 30 s or a failed
 * connection, or >= 400), codes, ok (n and percentiles of the answers below 400 alone) and
 * unavailableWithoutRetryAfter (503s without the header).
 */
public class OpenLoop {

  private record Spec(HttpMethod method, String path, String token, String body) {}

  /** Latencies and statuses as they come in; touched only from the client's event loop. */
  private static final class Answers {
    long[] latency = new long[1 << 14];
    int[] status = new int[1 << 14];
    long[] sentAt = new long[1 << 14];
    String[] what = new String[1 << 14];
    int n;
    int unavailableWithoutRetryAfter;

    void add(long nanos, int code, boolean retryAfter, long sent, String request) {
      if (n == latency.length) {
        latency = Arrays.copyOf(latency, n * 2);
        status = Arrays.copyOf(status, n * 2);
        sentAt = Arrays.copyOf(sentAt, n * 2);
        what = Arrays.copyOf(what, n * 2);
      }
      latency[n] = nanos;
      sentAt[n] = sent;
      what[n] = request;
      status[n++] = code;
      if (code == 503 && !retryAfter) {
        unavailableWithoutRetryAfter++;
      }
    }
  }

  private record Answer(int status, boolean retryAfter) {}

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
              run[2],
              Double.parseDouble(run[3]),
              run[4]);
      System.out.println(result.encode());
      System.out.flush();
    }
    vertx.close();
  }

  private static JsonObject run(
      Vertx vertx, URI base, Path requests, String load, double seconds, String tag)
      throws Exception {
    List<Spec> specs = new ArrayList<>();
    for (String line : Files.readAllLines(requests)) {
      String[] f = line.split("\t", 4);
      if (f.length == 4) {
        specs.add(new Spec(HttpMethod.valueOf(f[0]), f[1], f[2], f[3]));
      }
    }
    HttpClientOptions options =
        new HttpClientOptions()
            .setDefaultHost(base.getHost())
            .setDefaultPort(base.getPort())
            .setKeepAlive(true)
            .setConnectTimeout(10_000);
    boolean thinking = load.startsWith("users=");
    int users = thinking ? Integer.parseInt(load.substring("users=".length())) : 0;
    // Clients per run: no connection of a run that overloaded the server is reused by the next.
    // Each thinking user keeps a connection of its own, as a browser or an app would; the open
    // loop opens as many as it has requests in flight, so that none waits for a free one.
    List<HttpClient> clients = new ArrayList<>();
    for (int u = 0; u < Math.max(users, 1); u++) {
      clients.add(
          vertx.createHttpClient(
              options,
              thinking
                  ? new PoolOptions().setHttp1MaxSize(1).setCleanerPeriod(0)
                  : new PoolOptions().setHttp1MaxSize(10_000).setMaxWaitQueueSize(-1)));
    }
    Answers answers = new Answers();
    long start = System.nanoTime();
    Future<Void> done =
        thinking
            ? thinkingUsers(vertx, clients, specs, tag, answers, seconds)
            : openLoop(vertx, clients.get(0), specs, tag, answers, Double.parseDouble(load), seconds);
    try {
      done.toCompletionStage().toCompletableFuture().get((long) seconds + 60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      System.err.println("load client: answers still missing 60 s after the last request");
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    String traceDir = System.getenv("BENCH_OPEN_TRACE");
    Future.join(clients.stream().map(HttpClient::close).toList())
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    // Closing failed what was still in flight; read the answers on the loop that wrote them.
    Promise<JsonObject> summary = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              if (traceDir != null && !traceDir.isEmpty()) {
                trace(Path.of(traceDir, tag + ".tsv"), answers, start);
              }
              summary.complete(summary(answers, elapsed));
            });
    return summary.future().toCompletionStage().toCompletableFuture().get();
  }

  /** Requests on a fixed schedule; latency from each one's scheduled start. */
  private static Future<Void> openLoop(
      Vertx vertx,
      HttpClient client,
      List<Spec> specs,
      String tag,
      Answers answers,
      double rate,
      double seconds) {
    int total = (int) Math.round(rate * seconds);
    Promise<Void> done = Promise.promise();
    if (total == 0) {
      done.complete();
      return done.future();
    }
    long start = System.nanoTime();
    long interval = (long) (1e9 / rate);
    int[] sent = {0};
    int[] answered = {0};
    vertx.setPeriodic(
        1,
        timer -> {
          long now = System.nanoTime();
          int due = (int) Math.min(total, (now - start) / interval + 1);
          for (; sent[0] < due; sent[0]++) {
            int i = sent[0];
            long scheduled = start + i * interval;
            send(client, specs.get(i % specs.size()), tag + "-" + i)
                .onComplete(
                    ar -> {
                      record(answers, System.nanoTime() - scheduled, ar, scheduled, specs.get(i % specs.size()));
                      if (++answered[0] == total) {
                        done.complete();
                      }
                    });
          }
          if (sent[0] >= total) {
            vertx.cancelTimer(timer);
          }
        });
    return done.future();
  }

  /** Users each waiting for their answer, then thinking 2-5 s, until the time is up. */
  private static Future<Void> thinkingUsers(
      Vertx vertx,
      List<HttpClient> clients,
      List<Spec> specs,
      String tag,
      Answers answers,
      double seconds) {
    int users = clients.size();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    Promise<Void> done = Promise.promise();
    int[] finished = {0};
    for (int u = 0; u < users; u++) {
      int user = u;
      HttpClient client = clients.get(u);
      Runnable[] next = new Runnable[1];
      int[] i = {user};
      next[0] =
          () -> {
            if (System.nanoTime() >= end) {
              if (++finished[0] == users) {
                done.complete();
              }
              return;
            }
            int k = i[0];
            i[0] += users;
            long sent = System.nanoTime();
            send(client, specs.get(k % specs.size()), tag + "-" + k)
                .onComplete(
                    ar -> {
                      record(answers, System.nanoTime() - sent, ar, sent, specs.get(k % specs.size()));
                      vertx.setTimer(2000 + ThreadLocalRandom.current().nextInt(3001), t -> next[0].run());
                    });
          };
      vertx.setTimer(1 + ThreadLocalRandom.current().nextInt(5000), t -> next[0].run());
    }
    return done.future();
  }

  private static Future<Answer> send(HttpClient client, Spec spec, String seq) {
    RequestOptions options =
        new RequestOptions().setMethod(spec.method()).setURI(spec.path()).setIdleTimeout(30_000);
    options.putHeader("accept", "application/json");
    if (!spec.token().isEmpty()) {
      options.putHeader("authorization", "Bearer " + spec.token());
    }
    Buffer body =
        spec.body().isEmpty() ? null : Buffer.buffer(spec.body().replace("{{SEQ}}", seq));
    if (body != null) {
      options.putHeader("content-type", "application/json");
    }
    return client
        .request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(
            res ->
                res.body()
                    .map(
                        ignored ->
                            new Answer(res.statusCode(), res.getHeader("retry-after") != null)));
  }

  private static void record(
      Answers answers, long nanos, AsyncResult<Answer> ar, long sent, Spec spec) {
    String request = spec.method() + " " + spec.path();
    if (ar.succeeded()) {
      answers.add(nanos, ar.result().status(), ar.result().retryAfter(), sent, request);
    } else {
      answers.add(nanos, 0, false, sent, request);
    }
  }

  /** One line per answer: ms since the run began, status, latency ms, request (BENCH_OPEN_TRACE). */
  private static void trace(Path file, Answers answers, long start) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < answers.n; i++) {
      out.append(String.format("%.1f\t%d\t%.2f\t%s%n", (answers.sentAt[i] - start) / 1e6,
          answers.status[i], answers.latency[i] / 1e6, answers.what[i]));
    }
    try {
      Files.writeString(file, out);
    } catch (java.io.IOException e) {
      System.err.println("load client: cannot write " + file + ": " + e);
    }
  }

  private static JsonObject summary(Answers answers, double elapsed) {
    int total = answers.n;
    long[] all = Arrays.copyOf(answers.latency, total);
    long[] ok = new long[total];
    int oks = 0;
    TreeMap<String, Integer> codes = new TreeMap<>();
    for (int i = 0; i < total; i++) {
      int s = answers.status[i];
      codes.merge(String.valueOf(s), 1, Integer::sum);
      if (s != 0 && s < 400) {
        ok[oks++] = answers.latency[i];
      }
    }
    ok = Arrays.copyOf(ok, oks);
    Arrays.sort(all);
    Arrays.sort(ok);
    int errors = total - oks;
    JsonObject byCode = new JsonObject();
    codes.forEach(byCode::put);
    return percentiles(all)
        .put("seconds", elapsed)
        .put("rps", oks / elapsed)
        .put("errors", errors)
        .put("codes", byCode)
        .put("ok", percentiles(ok))
        .put("unavailableWithoutRetryAfter", answers.unavailableWithoutRetryAfter);
  }

  private static JsonObject percentiles(long[] sorted) {
    return new JsonObject()
        .put("n", sorted.length)
        .put("p50", percentile(sorted, 50))
        .put("p95", percentile(sorted, 95))
        .put("p99", percentile(sorted, 99))
        .put("max", sorted.length == 0 ? null : sorted[sorted.length - 1] / 1e6);
  }

  private static Double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] / 1e6;
  }
}
