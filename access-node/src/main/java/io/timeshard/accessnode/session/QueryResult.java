package io.timeshard.accessnode.session;

import io.timeshard.accessnode.wire.ColumnDescription;
import java.util.List;

/**
 * A result the access node produces itself (not relayed): column descriptions, rows of text-format
 * values (null element = SQL NULL; UTF-8) and the CommandComplete tag.
 *
 * @param columns    empty for a statement without a result set
 * @param rows       text-format values, one array per row
 * @param commandTag e.g. {@code SELECT 1}, {@code INSERT 0 5}, {@code COPY 3}
 */
public record QueryResult(List<ColumnDescription> columns, List<byte[][]> rows, String commandTag) {
    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** @return a result without rows, e.g. for INSERT or COPY */
    public static QueryResult command(String tag) {
        return new QueryResult(List.of(), List.of(), tag);
    }
}
