package io.campus.testsupport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the keys a test run wrote into a Redis that is not its own (all under the run's own
 * prefix), with SCAN and DEL over a plain socket: tests only, never a request path.
 */
public final class RedisKeys {

  private RedisKeys() {}

  /** One command on a connection of its own, blocking: its reply (String, Long, List or null). */
  public static Object command(String redisUrl, String... parts) throws IOException {
    try (Socket socket = connect(redisUrl)) {
      send(socket.getOutputStream(), parts);
      return read(new BufferedInputStream(socket.getInputStream()));
    }
  }

  /** Deletes every key starting with {@code prefix}; returns how many. */
  public static long deleteByPrefix(String redisUrl, String prefix) throws IOException {
    try (Socket socket = connect(redisUrl)) {
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      long deleted = 0;
      String cursor = "0";
      do {
        send(out, "SCAN", cursor, "MATCH", escape(prefix) + "*", "COUNT", "1000");
        List<Object> reply = (List<Object>) read(in);
        cursor = (String) reply.get(0);
        @SuppressWarnings("unchecked")
        List<Object> keys = (List<Object>) reply.get(1);
        if (!keys.isEmpty()) {
          List<String> command = new ArrayList<>();
          command.add("DEL");
          keys.forEach(k -> command.add((String) k));
          send(out, command.toArray(String[]::new));
          deleted += (Long) read(in);
        }
      } while (!"0".equals(cursor));
      return deleted;
    }
  }

  private static Socket connect(String redisUrl) throws IOException {
    URI uri = URI.create(redisUrl);
    Socket socket = new Socket();
    try {
      socket.connect(
          new InetSocketAddress(
              uri.getHost() == null ? "127.0.0.1" : uri.getHost(),
              uri.getPort() < 0 ? 6379 : uri.getPort()),
          2_000);
      socket.setSoTimeout(5_000);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static String escape(String prefix) {
    return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }

  private static void send(OutputStream out, String... parts) throws IOException {
    StringBuilder command = new StringBuilder("*").append(parts.length).append("\r\n");
    for (String part : parts) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      command.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
    }
    out.write(command.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IOException("Redis: " + line);
      case ':':
        return Long.parseLong(line);
      case '$':
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length);
        line(in);
        return new String(bytes, StandardCharsets.UTF_8);
      case '*':
        int count = Integer.parseInt(line);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          items.add(read(in));
        }
        return items;
      default:
        throw new IOException("unexpected Redis reply type " + (char) type);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("Redis closed the connection");
      }
      line.append((char) c);
    }
    in.read(); // '\n'
    return line.toString();
  }
}
