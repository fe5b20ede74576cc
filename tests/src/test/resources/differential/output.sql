-- Differential corpus: how values come out — float8 shortest-exact text, numeric casts and rounding,
-- timestamptz and interval output, string functions on the text column.
--
-- Format: entries are separated by blank lines. An entry is one or more `--` comment lines, the
-- first of which is its label, followed by one SQL statement (no blank line inside) whose last line
-- ends with `;`. A block of comments only (like this one) is a note. Results compare exactly as text:
-- as ordered lists when the statement has a top-level ORDER BY, as multisets otherwise; `@unordered`
-- in a comment forces multiset comparison. Keep every top-level ORDER BY total.

-- float8 shortest-exact output of stored and computed values
SELECT DISTINCT humidity, humidity / 3, humidity * 1e10, humidity / 1e7, temperature / 7, temperature * 0.1
FROM conditions WHERE device >= 90;

-- float8 output of the whole humidity domain's extremes and exact sums
SELECT min(humidity / 3), max(humidity / 3), sum(temperature) / 7, sum(temperature) * 1e-9 FROM conditions;

-- numeric casts, rounding and typmods
SELECT device, round(avg(temperature)::numeric, 3), round(sum(humidity::numeric), 2), trunc(avg(humidity::numeric), 5),
       ceil(max(temperature)), floor(min(temperature)), max(temperature)::numeric(6, 1), min(humidity)::int
FROM conditions GROUP BY device ORDER BY device;

-- float to integer casts round half to even; to_char formats
SELECT temperature, temperature::int AS t_int, temperature::bigint AS t_bigint, round(temperature), to_char(temperature, 'FM990.0000'),
       to_char(humidity, '999D99')
FROM conditions WHERE device = 92 OR (device = 90) ORDER BY conditions.temperature, conditions.humidity;

-- numeric division and scale
SELECT device, (sum(humidity::numeric) / count(*))::numeric(12, 4), sum(temperature::numeric) / 3
FROM conditions WHERE device IN (1, 91, 92) GROUP BY device ORDER BY device;

-- timestamptz output and conversions
SELECT time, time AT TIME ZONE 'America/New_York' AS ny, time AT TIME ZONE 'Asia/Kolkata' AS kolkata, time::date AS day,
       extract(epoch FROM time), to_char(time, 'YYYY-MM-DD HH24:MI:SS.US TZH:TZM'), date_part('dow', time), extract(isodow FROM time)
FROM conditions WHERE device >= 90 ORDER BY conditions.time, device;

-- interval output: spans per device
SELECT device, max(time) - min(time) AS span, justify_hours(max(time) - min(time)), age(max(time), min(time))
FROM conditions GROUP BY device ORDER BY device;

-- timestamp arithmetic and truncation to odd units
SELECT DISTINCT date_trunc('week', time), date_trunc('month', time), time - INTERVAL '1 month 2 days 3.5 seconds'
FROM conditions WHERE device = 91;

-- microsecond-precision timestamps near boundaries
SELECT time, time + INTERVAL '1 microsecond', date_trunc('second', time), date_trunc('milliseconds', time)
FROM conditions WHERE device IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11) AND (time = '2024-03-05 00:00:00+00' OR time = '2024-03-02 23:59:59.999999+00')
ORDER BY time, device, 2;

-- string functions on the text column
SELECT DISTINCT location, upper(location), lower(location), length(location), octet_length(location), substr(location, 2, 3),
       replace(location, 'a', 'A'), location || '#', initcap(location), md5(location), position('a' IN location),
       left(location, 2), reverse(location), quote_literal(location)
FROM conditions;

-- LIKE, ILIKE and regular expressions on the text column
SELECT location, count(*) FROM conditions
WHERE location ILIKE 'a%' OR location LIKE '%o' OR location ~ '^[A-Z]{2} ' GROUP BY location ORDER BY location;

-- string_agg with ORDER BY, per device
SELECT device, string_agg(DISTINCT location, ',' ORDER BY location) FROM conditions WHERE device <= 12 GROUP BY device ORDER BY device;

-- array_agg output
SELECT location, array_agg(DISTINCT device ORDER BY device) FROM conditions GROUP BY location ORDER BY location NULLS FIRST;

-- text comparison and sorting in the database collation
SELECT DISTINCT location COLLATE "C" AS location FROM conditions WHERE location IS NOT NULL ORDER BY 1 DESC;

-- coalesce, nullif and greatest on mixed NULLs
SELECT device, time, coalesce(temperature, humidity, -1), nullif(location, ''), greatest(temperature, humidity), least(temperature, humidity)
FROM conditions WHERE device = 91 OR (device = 17 AND time < '2024-03-01 00:20:00+00') ORDER BY device, time, 3, 4, 5, 6;

-- boolean and text output of expressions
SELECT device, temperature > humidity AS warmer, (temperature IS NULL)::text, format('%s@%s', device, location)
FROM conditions WHERE device = 92 ORDER BY time;

-- numeric output of large sums and averages
SELECT sum(temperature::numeric * 1000000), avg(humidity::numeric * 1000000), sum(device::bigint * 1000000000) FROM conditions;

-- one node's rows straight to the client: every built-in type the pass-through takes, and json
SELECT device, time, location, temperature, humidity::real AS r, temperature::numeric(8, 2) AS n, time - '2024-01-01'::timestamptz AS i,
       time::date AS d, device::bigint AS b, device::smallint AS s, temperature > 20 AS hot, to_json(location) AS j, to_jsonb(device) AS jb
FROM conditions WHERE device = 91 ORDER BY time, temperature;
