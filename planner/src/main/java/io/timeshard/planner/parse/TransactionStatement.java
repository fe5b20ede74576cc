package io.timeshard.planner.parse;

/**
 * A transaction control statement (PostgreSQL docs, "SQL Commands": BEGIN, START TRANSACTION,
 * COMMIT, END, ROLLBACK, ABORT, SAVEPOINT, RELEASE SAVEPOINT, ROLLBACK TO SAVEPOINT, PREPARE
 * TRANSACTION, COMMIT PREPARED, ROLLBACK PREPARED).
 *
 * @param kind  what the statement does
 * @param chain true for {@code AND CHAIN}
 * @param name  the savepoint name or the gid, else null
 */
public record TransactionStatement(Kind kind, boolean chain, String name) {
    /** What a transaction statement does. */
    public enum Kind { BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK_TO, PREPARE, COMMIT_PREPARED, ROLLBACK_PREPARED }

    /** @return the statement, or null when {@code sql} is not transaction control */
    public static TransactionStatement parse(String sql) {
        Tokens t = Tokens.of(sql);
        boolean chain = false;
        for (int i = 0; i + 2 < t.size() + 1; i++) {
            if (t.get(i).is("and") && t.get(i + 1).is("chain")) chain = true;
        }
        if (t.startsWith("begin") || t.startsWith("start", "transaction")) return new TransactionStatement(Kind.BEGIN, false, null);
        if (t.startsWith("commit", "prepared")) return new TransactionStatement(Kind.COMMIT_PREPARED, false, t.get(2).text());
        if (t.startsWith("rollback", "prepared")) return new TransactionStatement(Kind.ROLLBACK_PREPARED, false, t.get(2).text());
        if (t.startsWith("prepare", "transaction")) return new TransactionStatement(Kind.PREPARE, false, t.get(2).text());
        if (t.startsWith("commit") || t.startsWith("end")) return new TransactionStatement(Kind.COMMIT, chain, null);
        if (t.startsWith("savepoint")) return new TransactionStatement(Kind.SAVEPOINT, false, t.get(1).text());
        if (t.startsWith("release")) {
            return new TransactionStatement(Kind.RELEASE, false, t.get(1).is("savepoint") ? t.get(2).text() : t.get(1).text());
        }
        if (t.startsWith("rollback") || t.startsWith("abort")) {
            int i = 1;
            if (t.get(i).is("work") || t.get(i).is("transaction")) i++;
            if (t.get(i).is("to")) {
                i++;
                if (t.get(i).is("savepoint")) i++;
                return new TransactionStatement(Kind.ROLLBACK_TO, false, t.get(i).text());
            }
            return new TransactionStatement(Kind.ROLLBACK, chain, null);
        }
        return null;
    }
}
