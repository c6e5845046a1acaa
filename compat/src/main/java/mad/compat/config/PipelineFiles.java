package mad.compat.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Adler32;
import java.util.zip.CRC32C;

import mad.engine.config.ConfigException;

/**
 * The pipelines directory as MAD sees it (mad-spec §1.4): every entry directly inside it is a pipeline file, with no
 * extension filter (hidden files, {@code *.conf~} backups and sub-directories included; a name not ending
 * {@code .conf} is parsed as JSON, which usually fails and is reported for that file alone). We list in name order so
 * start-up is deterministic (MAD uses the file system's order).
 *
 * <p>Change detection uses a fingerprint of the content (MAD's {@code FileTrigger} uses MD5; MAD also requires the
 * modification time to grow; a content hash alone is what decides whether anything changed).
 *
 * <p>Thread ownership: stateless; called by the thread that scans for pipelines.
 */
public final class PipelineFiles
{
    /** Fingerprint of an entry that is a directory (it has no content; parsing it fails on its own). */
    public static final String DIRECTORY_FINGERPRINT = "directory";

    private PipelineFiles()
    {
    }

    /**
     * One directory entry and the fingerprint of its content.
     *
     * @param path the entry.
     * @param fingerprint the fingerprint of its bytes ({@link #fingerprint}), or {@link #DIRECTORY_FINGERPRINT}.
     */
    public record Entry(Path path, String fingerprint)
    {
    }

    /**
     * Lists the pipelines directory, creating it (and its parents) when missing, as MAD does at start.
     *
     * @param directory the pipelines directory (relative to the working directory).
     * @return every entry, sorted by name.
     * @throws ConfigException when the directory cannot be created or read.
     */
    public static List<Path> list(final Path directory)
    {
        final Path absolute = directory.toAbsolutePath().normalize();
        try
        {
            Files.createDirectories(absolute);
            final List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(absolute))
            {
                for (final Path entry : stream)
                {
                    entries.add(entry);
                }
            }
            entries.sort(Comparator.comparing(p -> p.getFileName().toString()));
            return entries;
        }
        catch (final IOException e)
        {
            throw new ConfigException(absolute.toString(), "", "cannot list the pipelines directory: " + e);
        }
    }

    /**
     * @param directory the pipelines directory.
     * @return every entry with its fingerprint, sorted by name.
     * @throws ConfigException when the directory cannot be listed or an entry cannot be read.
     */
    public static List<Entry> scan(final Path directory)
    {
        final List<Path> paths = list(directory);
        final List<Entry> entries = new ArrayList<>(paths.size());
        for (final Path path : paths)
        {
            entries.add(new Entry(path, fingerprint(path)));
        }
        return entries;
    }

    /**
     * @param file a pipeline file.
     * @return a fingerprint of its content (length, CRC-32C and Adler-32, in hex), or {@link #DIRECTORY_FINGERPRINT}
     *     for a directory.
     * @throws ConfigException when the file cannot be read.
     */
    public static String fingerprint(final Path file)
    {
        if (Files.isDirectory(file))
        {
            return DIRECTORY_FINGERPRINT;
        }
        // Why not a MessageDigest: the first one initialises the JDK's security providers (~8 ms of start-up);
        // telling an edited file from an unchanged one needs no cryptographic hash, two independent checksums and
        // the length leave a chance of about 2^-64 that an edit goes unnoticed.
        final byte[] content;
        try
        {
            content = Files.readAllBytes(file);
        }
        catch (final IOException e)
        {
            throw new ConfigException(file.toString(), "", "cannot read: " + e);
        }
        final CRC32C crc = new CRC32C();
        crc.update(content);
        final Adler32 adler = new Adler32();
        adler.update(content);
        final HexFormat hex = HexFormat.of();
        return hex.toHexDigits((long)content.length) + hex.toHexDigits((int)crc.getValue())
            + hex.toHexDigits((int)adler.getValue());
    }
}
