package io.timeshard.catalog.errors;

/**
 * SQLSTATE codes raised by Timeshard. PostgreSQL's own codes follow Appendix A of the PostgreSQL
 * documentation ("PostgreSQL Error Codes"); the {@code TS…} codes are TimescaleDB 2.13's
 * ({@code src/errors.h}), so that clients written for TimescaleDB multi-node see the same codes.
 */
public final class SqlState {
    private SqlState() {}

    public static final String SUCCESSFUL_COMPLETION = "00000";
    public static final String WARNING = "01000";
    public static final String DEPRECATED_FEATURE = "01P01";
    public static final String CONNECTION_EXCEPTION = "08000";
    public static final String CONNECTION_FAILURE = "08006";
    public static final String PROTOCOL_VIOLATION = "08P01";
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    public static final String CARDINALITY_VIOLATION = "21000";
    public static final String DATA_EXCEPTION = "22000";
    public static final String INVALID_DATETIME_FORMAT = "22007";
    public static final String DATETIME_FIELD_OVERFLOW = "22008";
    public static final String INVALID_PARAMETER_VALUE = "22023";
    public static final String INVALID_TEXT_REPRESENTATION = "22P02";
    public static final String BAD_COPY_FILE_FORMAT = "22P04";
    public static final String NOT_NULL_VIOLATION = "23502";
    public static final String CHECK_VIOLATION = "23514";
    public static final String ACTIVE_SQL_TRANSACTION = "25001";
    public static final String NO_ACTIVE_SQL_TRANSACTION = "25P01";
    public static final String IN_FAILED_SQL_TRANSACTION = "25P02";
    public static final String INVALID_SQL_STATEMENT_NAME = "26000";
    public static final String INVALID_AUTHORIZATION_SPECIFICATION = "28000";
    public static final String INVALID_PASSWORD = "28P01";
    public static final String TRANSACTION_ROLLBACK = "40000";
    public static final String SYNTAX_ERROR = "42601";
    public static final String UNDEFINED_COLUMN = "42703";
    public static final String UNDEFINED_FUNCTION = "42883";
    public static final String UNDEFINED_TABLE = "42P01";
    public static final String UNDEFINED_OBJECT = "42704";
    public static final String DUPLICATE_OBJECT = "42710";
    public static final String DUPLICATE_PREPARED_STATEMENT = "42P05";
    public static final String DUPLICATE_CURSOR = "42P03";
    public static final String INVALID_CURSOR_NAME = "34000";
    public static final String DATATYPE_MISMATCH = "42804";
    public static final String WRONG_OBJECT_TYPE = "42809";
    public static final String INVALID_OBJECT_DEFINITION = "42P17";
    public static final String QUERY_CANCELED = "57014";
    public static final String ADMIN_SHUTDOWN = "57P01";
    public static final String OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    public static final String INTERNAL_ERROR = "XX000";
    public static final String INVALID_CATALOG_NAME = "3D000";
    public static final String IO_ERROR = "58030";
    public static final String SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION = "08001";

    /** TimescaleDB: hypertable already exists. */
    public static final String TS_HYPERTABLE_EXISTS = "TS110";
    /** TimescaleDB: hypertable is not distributed. */
    public static final String TS_HYPERTABLE_NOT_DISTRIBUTED = "TS111";
    /** TimescaleDB: data node already exists. */
    public static final String TS_DATA_NODE_EXISTS = "TS120";
    /** TimescaleDB: insufficient number of data nodes. */
    public static final String TS_INSUFFICIENT_NUM_DATA_NODES = "TS170";
    /** TimescaleDB: data node assignment already exists. */
    public static final String TS_DATA_NODE_ASSIGNMENT_ALREADY_EXISTS = "TS171";
    /** TimescaleDB: data node already attached. */
    public static final String TS_DATA_NODE_ALREADY_ATTACHED = "TS172";
    /** TimescaleDB: data node not attached. */
    public static final String TS_DATA_NODE_NOT_ATTACHED = "TS173";
    /** TimescaleDB: data node has an invalid configuration (e.g. max_prepared_transactions = 0). */
    public static final String TS_DATA_NODE_INVALID_CONFIG = "TS174";
    /** TimescaleDB: communication error with a data node. */
    public static final String TS_CONNECTION_FAILURE = "TS502";
    /** TimescaleDB: data node still in use. */
    public static final String TS_DATA_NODE_IN_USE = "TS504";
}
