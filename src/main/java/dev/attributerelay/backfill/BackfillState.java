package dev.attributerelay.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a backfill is: the cursor of the page being worked on, which of its customers are done, and the counts
 * so far. Written after every customer, whole, to a temporary file that is flushed to disk and then renamed over
 * the old one, so a kill at any moment leaves either the old state or the new, never half of one. A run that
 * resumes re-reads the page at the cursor and skips the customers done: at most the customer in flight when it
 * stopped is sent again.
 *
 * @param integration the integration it belongs to; a state file of another is refused
 * @param since       the {@code --since} it started with, or null; the same filter must page the same list
 * @param cursor      the provider cursor of the current page; null for the first
 * @param done        ids of the current page's customers already handled
 * @param finished    every page was handled
 * @param counts      totals so far, across resumed runs
 */
record BackfillState(String integration, String since, String cursor, Set<String> done, boolean finished,
                     Tally.Counts counts) {

    BackfillState {
        done = Set.copyOf(new LinkedHashSet<>(done));
    }

    static BackfillState start(String integration, String since) {
        return new BackfillState(integration, since, null, Set.of(), false, Tally.Counts.ZERO);
    }

    BackfillState withDone(String customerId, Tally.Counts now) {
        Set<String> d = new LinkedHashSet<>(done);
        d.add(customerId);
        return new BackfillState(integration, since, cursor, d, false, now);
    }

    BackfillState nextPage(String next, Tally.Counts now) {
        return new BackfillState(integration, since, next, Set.of(), next == null, now);
    }

    /** Null when the file does not exist. */
    static BackfillState read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        JsonNode n;
        try {
            n = Json.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(file + " is not a backfill state file (not JSON)");
        }
        if (n == null || !n.path("integration").isTextual() || !n.path("done").isArray()) {
            throw new IOException(file + " is not a backfill state file");
        }
        Set<String> done = new LinkedHashSet<>();
        n.path("done").forEach(d -> done.add(d.asText()));
        JsonNode c = n.path("counts");
        Tally.Counts counts = new Tally.Counts(c.path("customers").asLong(), c.path("objects").asLong(),
                c.path("sent").asLong(), c.path("unchanged").asLong(), c.path("held").asLong(), c.path("failed").asLong(),
                c.path("skipped").asLong());
        return new BackfillState(n.path("integration").asText(), text(n.path("since")), text(n.path("cursor")), done,
                n.path("finished").asBoolean(false), counts);
    }

    void write(Path file) throws IOException {
        ObjectNode n = Json.object();
        n.put("integration", integration);
        n.put("since", since);
        n.put("cursor", cursor);
        List.copyOf(done).forEach(n.putArray("done")::add);
        if (done.isEmpty()) {
            n.putArray("done");
        }
        n.put("finished", finished);
        ObjectNode c = n.putObject("counts");
        c.put("customers", counts.customers());
        c.put("objects", counts.objects());
        c.put("sent", counts.sent());
        c.put("unchanged", counts.unchanged());
        c.put("held", counts.held());
        c.put("failed", counts.failed());
        c.put("skipped", counts.skipped());
        byte[] bytes = (n.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(dir);
    }

    /** Makes the rename itself durable where the platform allows opening a directory (Linux, macOS). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory: the rename is as durable as the file system makes it
        }
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }
}
