package dev.attributerelay.backfill;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * The line a person watches on stderr: objects read, updates sent / unchanged / held / failed, the rate, and the
 * time left when the total is known. On a terminal it is redrawn in place a few times a second; otherwise (a
 * log file, CI) it is a plain line every few seconds.
 */
public final class Progress {
    static final long TERMINAL_EVERY_NANOS = 250_000_000L;
    static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

    private final PrintStream err;
    private final boolean terminal;
    private final LongSupplier nanos;
    private long started;
    private Tally.Counts before = Tally.Counts.ZERO;
    private long lastShown;
    private int width;

    public Progress(PrintStream err, boolean terminal, LongSupplier nanos) {
        this.err = err;
        this.terminal = terminal;
        this.nanos = nanos;
        this.started = nanos.getAsLong();
        this.lastShown = started;
    }

    /** @param before the counts a resumed run starts from: the rate counts this run's customers only */
    void start(Tally.Counts before) {
        this.before = before;
        this.started = nanos.getAsLong();
        this.lastShown = started;
    }

    /** @param total customers in all, or -1 when the provider does not say */
    void update(Tally.Counts now, long total) {
        long t = nanos.getAsLong();
        if (t - lastShown < (terminal ? TERMINAL_EVERY_NANOS : PLAIN_EVERY_NANOS)) {
            return;
        }
        lastShown = t;
        show(line(now, total, t));
    }

    /** Ends the redrawn line so the summary starts on its own. */
    void done(Tally.Counts now, long total) {
        if (terminal) {
            show(line(now, total, nanos.getAsLong()));
            err.println();
        }
        err.flush();
    }

    String line(Tally.Counts now, long total, long t) {
        double seconds = Math.max(1e-3, (t - started) / 1e9);
        double rate = (now.customers() - before.customers()) / seconds;
        StringBuilder b = new StringBuilder();
        b.append(now.customers()).append(total > 0 ? "/" + total : "").append(" customers, ")
                .append(now.objects()).append(" objects read; sent ").append(now.sent())
                .append(", unchanged ").append(now.unchanged()).append(", held ").append(now.held())
                .append(", failed ").append(now.failed());
        if (now.skipped() > 0) {
            b.append(", skipped ").append(now.skipped());
        }
        b.append(String.format(java.util.Locale.ROOT, "; %.1f customers/s", rate));
        if (total > 0 && rate > 0 && now.customers() < total) {
            b.append(", ").append(duration((long) ((total - now.customers()) / rate))).append(" left");
        }
        return b.toString();
    }

    private void show(String line) {
        if (terminal) {
            String pad = line.length() < width ? " ".repeat(width - line.length()) : "";
            width = line.length();
            err.print("\r" + line + pad);
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + " min " + (seconds % 60) + " s";
        }
        return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
    }
}
