package io.campus.faults;

import io.campus.blackbox.Client;
import io.campus.blackbox.OsProcesses;
import io.campus.blackbox.Seed;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A steady mixed load of reads and writes that records every request and every acknowledged write:
 * enrollments, lesson completions, and bulk assessments sent with an Idempotency-Key (which are
 * retried with the same key and body until they are acknowledged).
 */
final class MixedLoad {

  enum Kind {
    COURSE_READ,
    MY_ENROLLMENTS,
    ENROLL,
    COMPLETE_LESSON,
    BULK_ASSESS
  }

  /** One request: what, when it was sent and answered (nanoTime), and how. */
  record Event(Kind kind, long sent, long done, int status, String error) {
    boolean failed() {
      return status < 0 || status >= 500;
    }

    boolean rateLimited() {
      return status == 429;
    }
  }

  record Pair(long userId, long targetId) {}

  /** A bulk submission: its key, body, author and the natural keys of its items. */
  record Bulk(String key, String body, Seed.Account mentor, List<Long> students, String skill) {}

  private final List<Seed.Account> students;
  private final Map<Long, List<Long>> studentsOfMentor;
  private final List<Seed.Account> mentors;
  private final List<Seed.Course> courses;
  private final Client client = new Client(Duration.ofSeconds(20));
  private final AtomicReference<String> base;
  private final AtomicInteger threads = new AtomicInteger();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong sequence = new AtomicLong();
  private final Random random = new Random(42);
  private final ConcurrentLinkedQueue<Pair> enrollQueue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Pair> completeQueue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Bulk> retryQueue = new ConcurrentLinkedQueue<>();
  private final Map<Long, Seed.Account> byId = new ConcurrentHashMap<>();

  final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Pair> ackedEnrollments = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Pair> ackedCompletions = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Bulk> ackedBulks = new ConcurrentLinkedQueue<>();

  private ExecutorService pool;
  private final List<AtomicBoolean> workers = Collections.synchronizedList(new ArrayList<>());

  MixedLoad(
      String base,
      List<Seed.Account> students,
      List<Seed.Account> mentors,
      Map<Long, List<Long>> studentsOfMentor,
      List<Seed.Course> courses) {
    this.base = new AtomicReference<>(base);
    this.students = students;
    this.mentors = mentors;
    this.studentsOfMentor = studentsOfMentor;
    this.courses = courses;
    students.forEach(s -> byId.put(s.id(), s));
    List<Pair> pairs = new ArrayList<>();
    for (Seed.Account s : students) {
      for (Seed.Course c : courses) {
        pairs.add(new Pair(s.id(), c.id()));
      }
    }
    Collections.shuffle(pairs, random);
    enrollQueue.addAll(pairs);
  }

  void target(String newBase) {
    base.set(newBase);
  }

  void start(int count) {
    running.set(true);
    pool = Executors.newCachedThreadPool();
    resize(count);
  }

  /** Sets the number of client threads (each sends one request at a time, with a short pause). */
  synchronized void resize(int count) {
    while (workers.size() < count) {
      AtomicBoolean alive = new AtomicBoolean(true);
      workers.add(alive);
      long seed = random.nextLong();
      pool.submit(() -> loop(alive, new Random(seed)));
    }
    while (workers.size() > count) {
      workers.remove(workers.size() - 1).set(false);
    }
    threads.set(count);
  }

  void stop() throws InterruptedException {
    running.set(false);
    workers.forEach(w -> w.set(false));
    workers.clear();
    pool.shutdown();
    pool.awaitTermination(60, TimeUnit.SECONDS);
  }

  /** Retries the unacknowledged keyed submissions until each is answered (or time runs out). */
  void drainRetries(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Bulk bulk;
    while ((bulk = retryQueue.poll()) != null && System.nanoTime() < deadline) {
      if (!submit(bulk)) {
        OsProcesses.sleep(200);
      }
    }
  }

  int pendingRetries() {
    return retryQueue.size();
  }

  private void loop(AtomicBoolean alive, Random r) {
    while (alive.get() && running.get()) {
      int dice = r.nextInt(100);
      if (dice < 35) {
        Seed.Course course = courses.get(r.nextInt(courses.size()));
        record(
            Kind.COURSE_READ, () -> client.get(base.get() + "/api/courses/" + course.slug(), null));
      } else if (dice < 50) {
        Seed.Account s = students.get(r.nextInt(students.size()));
        record(
            Kind.MY_ENROLLMENTS,
            () -> client.get(base.get() + "/api/enrollments?limit=5", s.token()));
      } else if (dice < 70 || (dice < 90 && completeQueue.isEmpty())) {
        enroll();
      } else if (dice < 90) {
        complete();
      } else {
        Bulk retry = retryQueue.poll();
        submit(retry != null ? retry : newBulk(r));
      }
      OsProcesses.sleep(25);
    }
  }

  private void enroll() {
    Pair pair = enrollQueue.poll();
    if (pair == null) {
      return;
    }
    Seed.Account s = byId.get(pair.userId());
    Client.Answer answer =
        record(
            Kind.ENROLL,
            () ->
                client.post(
                    base.get() + "/api/enrollments",
                    s.token(),
                    "{\"courseId\":" + pair.targetId() + "}"));
    if (answer.status() == 201) {
      ackedEnrollments.add(pair);
      for (Seed.Course c : courses) {
        if (c.id() == pair.targetId()) {
          // Complete two lessons of each acknowledged enrollment.
          completeQueue.add(new Pair(pair.userId(), c.lessonIds().get(0)));
          completeQueue.add(new Pair(pair.userId(), c.lessonIds().get(1)));
        }
      }
    }
  }

  private void complete() {
    Pair pair = completeQueue.poll();
    if (pair == null) {
      return;
    }
    Seed.Account s = byId.get(pair.userId());
    Client.Answer answer =
        record(
            Kind.COMPLETE_LESSON,
            () ->
                client.post(
                    base.get() + "/api/lessons/" + pair.targetId() + "/complete", s.token(), ""));
    if (answer.status() == 200) {
      ackedCompletions.add(pair);
    }
  }

  private Bulk newBulk(Random r) {
    Seed.Account mentor = mentors.get(r.nextInt(mentors.size()));
    List<Long> own = new ArrayList<>(studentsOfMentor.get(mentor.id()));
    Collections.shuffle(own, r);
    List<Long> chosen = own.subList(0, 3);
    String skill = "skill-" + sequence.incrementAndGet();
    String date = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    StringBuilder body = new StringBuilder("{\"items\":[");
    for (int i = 0; i < chosen.size(); i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"studentId\":")
          .append(chosen.get(i))
          .append(",\"skill\":\"")
          .append(skill)
          .append("\",\"score\":")
          .append(50 + r.nextInt(50))
          .append(",\"assessedOn\":\"")
          .append(date)
          .append("\"}");
    }
    body.append("]}");
    return new Bulk(
        UUID.randomUUID().toString(), body.toString(), mentor, List.copyOf(chosen), skill);
  }

  /** Sends a keyed submission; an unanswered or retryable one goes back on the retry queue. */
  private boolean submit(Bulk bulk) {
    Client.Answer answer =
        record(
            Kind.BULK_ASSESS,
            () ->
                client.post(
                    base.get() + "/api/assessments/bulk",
                    bulk.mentor().token(),
                    bulk.body(),
                    "Idempotency-Key",
                    bulk.key()));
    if (answer.status() == 201) {
      ackedBulks.add(bulk);
      return true;
    }
    if (answer.status() < 0
        || answer.status() >= 500
        || answer.status() == 429
        || answer.status() == 409) {
      retryQueue.add(bulk);
    }
    return false;
  }

  private Client.Answer record(Kind kind, java.util.function.Supplier<Client.Answer> call) {
    long sent = System.nanoTime();
    Client.Answer answer = call.get();
    events.add(new Event(kind, sent, System.nanoTime(), answer.status(), answer.error()));
    return answer;
  }
}
