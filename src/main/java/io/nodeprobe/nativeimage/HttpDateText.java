package io.nodeprobe.nativeimage;

import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.util.Locale;

/**
 * Fills the JDK's day and month name tables for HTTP dates while the native image is built, so that a run does not.
 *
 * <p>Why: the AWS SDK parses every {@code Last-Modified} header (GetObject, HeadObject) with the pattern
 * {@code EEE, dd MMM yyyy HH:mm:ss} in {@code Locale.US}. The first parse in a process builds the names from the
 * locale providers: about a tenth of a whole native {@code check}'s CPU (measured with perf). The tables live in
 * the static cache of {@code java.time.format.DateTimeTextProvider}, a class the image builder initialises at
 * build time, so a parse made here, at build time, is kept in the image heap. This class is initialised at build
 * time (application.properties) and parses once, with the SDK's own pattern; only JDK classes are touched, so no
 * SDK class is initialised early. On the JVM it costs one parse at start, which the first response would pay anyway.
 */
public final class HttpDateText {
    private static final boolean WARMED = warm();

    private HttpDateText() {
    }

    private static boolean warm() {
        DateTimeFormatter sdkPattern = new DateTimeFormatterBuilder().parseCaseInsensitive().parseLenient()
                .appendPattern("EEE, dd MMM yyyy HH:mm:ss").appendLiteral(' ').appendOffset("+HHMM", "GMT")
                .toFormatter().withLocale(Locale.US).withResolverStyle(ResolverStyle.SMART)
                .withChronology(IsoChronology.INSTANCE);
        sdkPattern.parse("Wed, 02 Dec 2026 18:00:00 GMT");
        return true;
    }

    /** Makes sure the class is in the image, and so initialised; does nothing at run time. */
    public static boolean warmed() {
        return WARMED;
    }
}
