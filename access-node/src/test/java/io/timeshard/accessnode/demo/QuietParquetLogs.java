package io.timeshard.accessnode.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises parquet-java's loggers to WARN for these tests. Without a logback configuration logback
 * logs DEBUG, and parquet-java's writer logs every value it writes at that level (hundreds of MB
 * for the progress tests).
 */
final class QuietParquetLogs {
    private QuietParquetLogs() {}

    /** Sets logger {@code org.apache.parquet} to WARN, when logback is the SLF4J binding. */
    static void apply() {
        if (LoggerFactory.getLogger("org.apache.parquet") instanceof Logger parquet) {
            parquet.setLevel(Level.WARN);
        }
    }
}
