package io.timeshard.tests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * A way of connecting under which the whole differential corpus runs: pgjdbc properties plus SET
 * statements, applied identically to the cluster (through the access node) and to the oracle, so that
 * the comparison stays fair while the access node's relay of protocol modes and session settings is
 * exercised.
 *
 * <ul>
 *   <li>{@link #TEXT_UTC} — pgjdbc's defaults: unnamed statements, results as text, the JVM's time zone
 *       (UTC in the build).</li>
 *   <li>{@link #BINARY_CURSOR_NEW_YORK} — {@code prepareThreshold=-1} (named server-side statements and
 *       binary results from the first execution), autocommit off with a fetch size of 100 (portals
 *       executed 100 rows at a time, suspended in between; each query in a transaction of its own) and
 *       {@code SET TimeZone = 'America/New_York'}, whose DST change (2024-03-10 02:00 local) falls inside
 *       the {@code conditions} data. Values still compare as {@code getString}, which pgjdbc derives from
 *       the binary value, on both sides alike.</li>
 *   <li>{@link #BINARY} — {@code prepareThreshold=-1} with autocommit and no fetch size: binary results
 *       of whole portals, which the access node answers from the data nodes' rows where it passes them
 *       through or merges them (their send functions' bytes, not the combine query's); what JDBC
 *       clients get once pgjdbc keeps a statement prepared (its fifth run).</li>
 *   <li>{@link #SIMPLE_PROTOCOL} — {@code preferQueryMode=simple}: every query as a simple Query
 *       message, the path psql takes.</li>
 *   <li>{@link #ROUNDED_FLOATS} — {@code SET extra_float_digits = 0}: floats print rounded to 15
 *       significant digits, while the data nodes' sessions print them exact; a result the access node
 *       would pass straight from a data node must then be formatted by the combine step.</li>
 *   <li>{@link #SAFETY_NET} — {@code SET timeshard.enable_fast_path = off}: every read through the
 *       safety net (postgres_fdw foreign tables), so that both read paths stay checked. PostgreSQL
 *       accepts the setting as a custom placeholder, so the oracle runs it too.</li>
 * </ul>
 */
enum DifferentialSession {
    TEXT_UTC(new Properties(), true, List.of()),
    BINARY_CURSOR_NEW_YORK(props("prepareThreshold", "-1", "defaultRowFetchSize", "100"), false,
            List.of("SET TimeZone = 'America/New_York'")),
    BINARY(props("prepareThreshold", "-1"), true, List.of()),
    SIMPLE_PROTOCOL(props("preferQueryMode", "simple"), true, List.of()),
    ROUNDED_FLOATS(new Properties(), true, List.of("SET extra_float_digits = 0")),
    SAFETY_NET(new Properties(), true, List.of("SET timeshard.enable_fast_path = off"));

    private final Properties properties;
    private final boolean autoCommit;
    private final List<String> setup;

    DifferentialSession(Properties properties, boolean autoCommit, List<String> setup) {
        this.properties = properties;
        this.autoCommit = autoCommit;
        this.setup = setup;
    }

    /** @return a connection to {@code db} through the access node, set up for this session */
    Connection openCluster(TestCluster cluster, String db) throws SQLException {
        return setUp(DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + cluster.port + "/" + db, with("postgres")));
    }

    /** @return a connection to {@code db} on the oracle (which must exist), set up for this session */
    Connection openOracle(TestCluster cluster, String db) throws SQLException {
        return setUp(DriverManager.getConnection(cluster.oracle.accessNodeDatabase().jdbcUrl(db), with("postgres")));
    }

    private Properties with(String user) {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("user", user);
        return p;
    }

    private Connection setUp(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : setup) st.execute(sql);
            c.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static Properties props(String... keysAndValues) {
        Properties p = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        return p;
    }
}
