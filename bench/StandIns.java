import io.campus.platform.devsupport.EmbeddedServers;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the embedded PostgreSQL and Redis of dev mode for the startup benchmark, writes
 * "postgres-port redis-port" to the file named by the first argument and waits; stopping this
 * process stops both.
 */
public class StandIns {
  public static void main(String[] args) throws Exception {
    int postgres = EmbeddedServers.postgres();
    int redis = EmbeddedServers.redis();
    Path out = Path.of(args[0]);
    Path tmp = Path.of(args[0] + ".tmp");
    Files.writeString(tmp, postgres + " " + redis + "\n");
    Files.move(tmp, out);
    Thread.currentThread().join();
  }
}
