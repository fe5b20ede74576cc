-- Differential corpus: the same reads spelled in the ways clients spell them — comments, quoting,
-- case, schema qualification, TABLE, parentheses, dollar quotes — which the access node must
-- classify and relay without changing their meaning.
--
-- Format: entries are separated by blank lines. An entry is one or more `--` comment lines, the
-- first of which is its label, followed by one SQL statement (no blank line inside) whose last line
-- ends with `;`. A block of comments only (like this one) is a note. Results compare exactly as text:
-- as ordered lists when the statement has a top-level ORDER BY, as multisets otherwise; `@unordered`
-- in a comment forces multiset comparison. Keep every top-level ORDER BY total.

-- lower-case keywords
select count(*), sum(temperature) from conditions where device = 4;

-- a leading block comment and a schema-qualified quoted name
/* dashboard: panel 3 */ SELECT count(*) FROM public."conditions" WHERE "device" = 5;

-- upper-case unquoted names
SELECT COUNT(*), MAX(TIME) FROM CONDITIONS WHERE DEVICE IN (6, 7);

-- a parenthesized top-level query
(SELECT device, count(*) FROM conditions WHERE device < 3 GROUP BY device ORDER BY device);

-- the TABLE statement on the regular table
TABLE devices;

-- the TABLE statement inside a subquery on a hypertable
SELECT count(*), count(DISTINCT hostname) FROM (TABLE cpu) AS t;

-- a line comment inside the statement
SELECT count(*) -- rows of one device
FROM conditions WHERE device = 8;

-- dollar quotes and escape strings holding a semicolon and quotes
SELECT $$a;b$$ AS d, E'it''s;\n' AS e, count(*) FROM conditions WHERE location = 'a''quote';

-- a string literal that looks like a statement
SELECT 'INSERT INTO conditions VALUES (now(), 1)' AS s, count(*) FROM conditions WHERE device = 9;

-- an alias that shadows the table name
SELECT conditions.hostname, count(*) FROM cpu AS conditions WHERE conditions.hostname LIKE 'host\_1_' GROUP BY 1;

-- VALUES joined to a hypertable
SELECT v.tag, count(c.*) FROM (VALUES (1, 'one'), (91, 'ninety-one'), (1000, 'none')) AS v(device, tag)
LEFT JOIN conditions c ON c.device = v.device GROUP BY v.tag ORDER BY v.tag;

-- WITH RECURSIVE driving reads of a hypertable
WITH RECURSIVE d(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM d WHERE n < 5)
SELECT d.n, (SELECT count(*) FROM conditions c WHERE c.device = d.n AND c.time < '2024-03-02') FROM d ORDER BY d.n;

-- a SELECT with no FROM (no hypertable at all)
SELECT 1 AS one, 'two'::text AS two, 3.5::float8 AS three, NULL::int AS four;
