package io.timeshard.planner.parse;

import java.util.Objects;

/**
 * A possibly schema-qualified relation name as written in a statement (already unquoted, and
 * lower-cased unless it was quoted).
 *
 * @param schema schema, or null when unqualified (resolved through the session's search_path)
 * @param name   relation name, never null
 */
public record QualifiedName(String schema, String name) {
    public QualifiedName {
        Objects.requireNonNull(name, "name");
    }
}
