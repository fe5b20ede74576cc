package io.timeshard.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads the differential corpus: files of SELECTs under {@code src/test/resources/differential/}.
 *
 * <p>Format (repeated at the top of every corpus file): entries are separated by blank lines. An entry
 * is one or more {@code --} comment lines, the first of which is its label, followed by exactly one SQL
 * statement whose last line ends with {@code ;}; the statement itself has no blank line. A block made
 * only of comments is a note and is skipped. A comment line of an entry containing {@code @unordered}
 * makes the results compare as multisets even though the query has a top-level ORDER BY (use it when
 * that ORDER BY is not total and there is no LIMIT). Malformed entries are errors, not silently
 * skipped queries.
 */
final class DifferentialCorpus {
    /** The file the test runs expecting failure: queries that show a recorded product bug. */
    static final String KNOWN_FAILURES = "known-failures.sql";

    /**
     * One corpus query.
     *
     * @param file    the corpus file's name
     * @param line    1-based line of the statement's first line
     * @param label   the entry's first comment line, without {@code --}
     * @param notes   every comment line of the entry, joined by newlines
     * @param sql     the statement without its final {@code ;}
     * @param ordered whether the results compare as ordered lists (a top-level ORDER BY and no
     *                {@code @unordered})
     */
    record Entry(String file, int line, String label, String notes, String sql, boolean ordered) {
        Entry {
            Objects.requireNonNull(sql, "sql");
        }

        /** @return the display name of the dynamic test */
        String displayName() {
            return file + ":" + line + " " + label;
        }
    }

    private DifferentialCorpus() {
    }

    /** @return the corpus files, sorted by name, except {@link #KNOWN_FAILURES} */
    static List<Path> files() {
        try (Stream<Path> s = Files.list(directory())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".sql"))
                    .filter(p -> !p.getFileName().toString().equals(KNOWN_FAILURES)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the corpus directory on the test class path */
    static Path directory() {
        URL url = DifferentialCorpus.class.getClassLoader().getResource("differential");
        if (url == null) throw new IllegalStateException("no differential/ directory on the test class path");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the entries of {@code file}, in file order */
    static List<Entry> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = file.getFileName().toString();
        List<Entry> entries = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            if (lines.get(i).isBlank()) {
                i++;
                continue;
            }
            int blockStart = i;
            List<String> comments = new ArrayList<>();
            while (i < lines.size() && lines.get(i).strip().startsWith("--")) comments.add(lines.get(i++).strip().substring(2).strip());
            int sqlStart = i;
            StringBuilder sql = new StringBuilder();
            while (i < lines.size() && !lines.get(i).isBlank()) sql.append(sql.isEmpty() ? "" : "\n").append(lines.get(i++));
            if (sql.isEmpty()) continue; // a note
            String text = sql.toString().strip();
            if (comments.isEmpty()) throw new IllegalArgumentException(name + ":" + (blockStart + 1) + ": an entry needs a label comment");
            if (!text.endsWith(";")) throw new IllegalArgumentException(name + ":" + (sqlStart + 1) + ": the statement must end with ';' (blank line inside it?)");
            text = text.substring(0, text.length() - 1).strip();
            String notes = String.join("\n", comments);
            boolean ordered = hasTopLevelOrderBy(text) && !notes.contains("@unordered");
            entries.add(new Entry(name, sqlStart + 1, comments.getFirst(), notes, text, ordered));
        }
        return entries;
    }

    /**
     * @return whether {@code sql} has ORDER BY outside every parenthesis (so it orders the result, not a
     *     window, an aggregate's input or a subquery); literals, quoted identifiers and comments are skipped
     */
    static boolean hasTopLevelOrderBy(String sql) {
        String s = sql.toLowerCase(Locale.ROOT);
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                while (end >= 0 && end + 1 < s.length() && s.charAt(end + 1) == c) end = s.indexOf(c, end + 2);
                if (end < 0) return false;
                i = end;
            } else if (c == '-' && s.startsWith("--", i)) {
                int end = s.indexOf('\n', i);
                if (end < 0) return false;
                i = end;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && s.startsWith("order", i) && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)))
                    && s.substring(i + 5).stripLeading().startsWith("by")) {
                return true;
            }
        }
        return false;
    }
}
