package mad.perf.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * Reads a daemon's CPU time and memory from {@code /proc} and checks loopback ports with {@code ss}.
 * Stateless; safe from any thread.
 */
final class Proc
{
    /** USER_HZ on Linux is 100: one clock tick is 10 ms. */
    private static final long MICROS_PER_TICK = 10_000L;

    private Proc()
    {
    }

    /** utime + stime of the process (all threads) in microseconds, -1 when it is gone. */
    static long cpuMicros(final long pid)
    {
        try
        {
            final String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
            // the command name may hold spaces: fields count from the last ')'
            final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MICROS_PER_TICK;
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }

    /** A {@code /proc/<pid>/status} value in kB (VmRSS, VmHWM), -1 when it is gone. */
    static long statusKb(final long pid, final String key)
    {
        try
        {
            final List<String> lines = Files.readAllLines(Paths.get("/proc/" + pid + "/status"));
            for (final String line : lines)
            {
                if (line.startsWith(key + ":"))
                {
                    return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
                }
            }
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
        return -1;
    }

    /** Whether something is bound to the loopback port ({@code udp} true: UDP, else a TCP listener). */
    static boolean bound(final int port, final boolean udp)
    {
        try
        {
            final Process p = new ProcessBuilder("ss", "-H", udp ? "-lun" : "-ltn", "sport = :" + port)
                    .redirectErrorStream(true).start();
            final String out;
            try (InputStream in = p.getInputStream())
            {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            p.waitFor();
            return !out.isBlank();
        }
        catch (final IOException e)
        {
            return false;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Polls until none of the ports is bound; false after {@code timeoutMs}. */
    static boolean waitFree(final long timeoutMs, final int[] tcp, final int[] udp) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        boolean announced = false;
        while (true)
        {
            boolean busy = false;
            for (final int port : tcp)
            {
                busy |= bound(port, false);
            }
            for (final int port : udp)
            {
                busy |= bound(port, true);
            }
            if (!busy)
            {
                return true;
            }
            if (System.currentTimeMillis() > deadline)
            {
                return false;
            }
            if (!announced)
            {
                System.out.println("harness: ports busy (another run?), waiting up to " + timeoutMs / 1000 + " s");
                announced = true;
            }
            Thread.sleep(2000);
        }
    }

    /** GC pauses in a {@code -Xlog:gc} file from byte {@code offset}: {count, total ms, max ms, new offset}. */
    static double[] gcPauses(final Path log, final long offset)
    {
        double count = 0;
        double total = 0;
        double max = 0;
        long end = offset;
        try
        {
            final byte[] all = Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
            end = all.length;
            final String text = new String(all, (int) Math.min(offset, all.length),
                    (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
            for (final String line : text.split("\n"))
            {
                // "[1.234s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 24M->8M(64M) 3.456ms"
                if (line.contains(" Pause ") && line.endsWith("ms"))
                {
                    final String v = line.substring(line.lastIndexOf(' ') + 1, line.length() - 2);
                    final double ms = Double.parseDouble(v);
                    count++;
                    total += ms;
                    max = Math.max(max, ms);
                }
            }
        }
        catch (final IOException | RuntimeException e)
        {
            // best effort: a missing log reports zero pauses
        }
        return new double[] {count, total, max, end};
    }

    /**
     * Datagrams the kernel dropped on the UDP sockets bound to {@code port} (the {@code drops} column of
     * /proc/net/udp and udp6): receive-buffer overflows, i.e. what a daemon that never drops after recv() lost.
     */
    static long udpDrops(final int port)
    {
        long drops = 0;
        final String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (final String file : new String[] {"/proc/net/udp", "/proc/net/udp6"})
        {
            try
            {
                for (final String line : Files.readAllLines(Paths.get(file)))
                {
                    final String[] f = line.trim().split("\\s+");
                    if (f.length > 12 && f[1].endsWith(hexPort))
                    {
                        drops += Long.parseLong(f[12]);
                    }
                }
            }
            catch (final IOException | NumberFormatException e)
            {
                // no IPv6 table, or a header line: nothing to add
            }
        }
        return drops;
    }
}
