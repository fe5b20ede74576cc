package io.timeshard.planner.plan;

import io.timeshard.catalog.model.Column;
import io.timeshard.catalog.model.Dimension;
import io.timeshard.catalog.model.Hypertable;
import java.util.List;

/** The test hypertable: public.conditions partitioned by time and device, with a column of every type the planner maps. */
final class Conditions {
    static final String DDL = """
            CREATE TABLE %s (
              time timestamp with time zone NOT NULL,
              device integer,
              location text,
              temperature double precision,
              humidity real,
              reading numeric(10,3),
              amount bigint,
              ok boolean,
              note character varying(20),
              day date,
              small smallint,
              local timestamp without time zone)""";

    private Conditions() {}

    static Hypertable hypertable() {
        List<Column> columns = List.of(
                new Column("time", "timestamp with time zone", 1184, true, null),
                new Column("device", "integer", 23, false, null),
                new Column("location", "text", 25, false, null),
                new Column("temperature", "double precision", 701, false, null),
                new Column("humidity", "real", 700, false, null),
                new Column("reading", "numeric(10,3)", 1700, false, null),
                new Column("amount", "bigint", 20, false, null),
                new Column("ok", "boolean", 16, false, null),
                new Column("note", "character varying(20)", 1043, false, null),
                new Column("day", "date", 1082, false, null),
                new Column("small", "smallint", 21, false, null),
                new Column("local", "timestamp without time zone", 1114, false, null));
        Dimension time = new Dimension(1, "time", "timestamp with time zone", true, 0, 7L * 86_400_000_000L);
        Dimension space = new Dimension(2, "device", "integer", false, 2, 0);
        return new Hypertable(1, "public", "conditions", 1, time, space, List.of("dn1", "dn2"), List.of(), columns);
    }

    static PlanContext context(boolean spaceValuesStayOnOneNode) {
        return new PlanContext(List.of("dn1", "dn2"), spaceValuesStayOnOneNode);
    }
}
