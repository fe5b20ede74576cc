-- Known failures: corpus queries that show a product bug (the cluster errs or differs from plain
-- PostgreSQL). DifferentialQueryTest runs them expecting failure, so the suite stays green while the
-- bug is recorded; when a fix makes one pass, the test says so and the query moves back to a corpus
-- file. Each entry's comments say what goes wrong.
--
-- Format: entries are separated by blank lines. An entry is one or more `--` comment lines, the
-- first of which is its label, followed by one SQL statement (no blank line inside) whose last line
-- ends with `;`. A block of comments only (like this one) is a note. Results compare exactly as text:
-- as ordered lists when the statement has a top-level ORDER BY, as multisets otherwise; `@unordered`
-- in a comment forces multiset comparison.

-- a NULL space value is kept
-- TimescaleDB accepts NULL in a space column (timescale/timescaledb#278: "NULL values should be
-- supported on space-partitioned columns"), plain PostgreSQL keeps the rows; the cluster refuses each
-- such row at ingest (data node: "no partition of relation "_dist_hyper_N_M_slice" found for row",
-- SQLSTATE 23514), so the rows are missing from reads.
SELECT device, value, time FROM nullspace;

-- NULL space values are counted
-- (same bug as above)
SELECT count(*), count(device), sum(value) FROM nullspace;
