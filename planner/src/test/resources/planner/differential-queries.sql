-- Differential corpus: each query is planned, its remote SQL run on two halves of the data set, the
-- union combined, and the answer compared as text (names, types, rows) with the same query on one
-- table holding every row. One query per line. A line starting with "partial-declines:" holds a query
-- the planner must decline when groups may span nodes (it is still checked where FULL push-down applies).
-- rows only (NONE)
SELECT time, device, temperature FROM conditions WHERE temperature > 15 ORDER BY time LIMIT 10
SELECT time, location, temperature * 1.1 FROM conditions WHERE location = 'office_1' ORDER BY time DESC LIMIT 7 OFFSET 3
SELECT * FROM conditions WHERE device IN (1, 3) AND time >= '2024-03-10 00:00:00' AND time < '2024-03-11 12:00' ORDER BY time
SELECT time, humidity, reading, amount FROM conditions WHERE humidity BETWEEN 2.5 AND 7 ORDER BY time LIMIT 20
SELECT location, note FROM conditions WHERE note LIKE 'n1%' OR location IS NULL ORDER BY time LIMIT 15
SELECT time, CASE WHEN temperature > 15 THEN 'hot' WHEN temperature IS NULL THEN NULL ELSE 'cold' END AS kind FROM conditions ORDER BY time LIMIT 12
SELECT time::date AS d, extract(hour from time), date_part('dow', time), date_trunc('day', time) FROM conditions ORDER BY time LIMIT 30 OFFSET 10
SELECT round(reading, 1), abs(small), coalesce(note, location, 'none'), lower(location), upper(note), length(location) FROM conditions ORDER BY time LIMIT 25
SELECT time, local, day, local - interval '90 minutes', day + 3, time + interval '1 day 2 hours' FROM conditions WHERE NOT ok ORDER BY time LIMIT 10
SELECT device, amount / 7, amount % 7, small * 2, reading * 2.5, 1 + 1, 'x' FROM conditions WHERE device IS NOT NULL ORDER BY amount DESC, time LIMIT 9
SELECT time FROM conditions WHERE time > '2024-03-10 01:30:00-05' ORDER BY temperature DESC NULLS LAST, time LIMIT 5
SELECT c.time, c.temperature FROM conditions c ORDER BY 2 NULLS FIRST, 1 DESC LIMIT 8
SELECT time, temperature / 3, humidity * 3, round(temperature), round(small), -reading FROM conditions WHERE device NOT IN (2, 4) ORDER BY time LIMIT 11
SELECT time, note FROM conditions WHERE note NOT LIKE '%3' AND location ILIKE 'OFFICE%' AND time NOT BETWEEN '2024-03-10' AND '2024-03-12' ORDER BY time LIMIT 10
SELECT location || '/' || note AS path, greatest(small, device), least(temperature, 12), nullif(device, 3) FROM conditions ORDER BY time LIMIT 10
SELECT location FROM conditions WHERE time = '2024-03-10 02:14:32.852457+00'
-- DISTINCT
SELECT DISTINCT location FROM conditions ORDER BY location NULLS FIRST
SELECT DISTINCT device, ok FROM conditions WHERE device > 2 ORDER BY device, ok
-- DISTINCT ON: each node keeps its first row per key, the access node the first over the union
SELECT DISTINCT ON (device) * FROM conditions ORDER BY device, time DESC
SELECT DISTINCT ON (device) device, time, temperature FROM conditions ORDER BY device NULLS FIRST, time DESC LIMIT 3 OFFSET 2
SELECT DISTINCT ON (location) time, temperature FROM conditions ORDER BY location DESC, time
SELECT DISTINCT ON (location, ok) location, ok, time FROM conditions ORDER BY location, ok DESC NULLS LAST, time LIMIT 7
SELECT DISTINCT ON (date_trunc('day', time)) date_trunc('day', time) AS d, time, device FROM conditions ORDER BY date_trunc('day', time), temperature DESC NULLS LAST, time
SELECT DISTINCT ON (device % 3) device % 3 AS m, time FROM conditions WHERE temperature > 12 ORDER BY device % 3, time DESC
-- DISTINCT ON over groups: per location the device (FULL) or the day (PARTIAL) with the most rows
SELECT DISTINCT ON (location) location, device, count(*) AS n, max(temperature) FROM conditions GROUP BY location, device ORDER BY location NULLS FIRST, n DESC, device
SELECT DISTINCT ON (location) location, date_trunc('day', time) AS d, count(*) AS n FROM conditions GROUP BY location, d ORDER BY location, n DESC, d
SELECT DISTINCT ON (ok) ok, location, sum(amount) AS s FROM conditions WHERE device > 1 GROUP BY ok, location HAVING count(*) > 2 ORDER BY ok, s DESC NULLS LAST, location LIMIT 2
SELECT DISTINCT ON (d) date_trunc('day', time) AS d, device, avg(reading) FROM conditions GROUP BY 1, 2 ORDER BY d DESC, avg(reading) DESC NULLS LAST, device
SELECT DISTINCT ON (note) note FROM conditions
SELECT DISTINCT ON (1) location, device FROM conditions ORDER BY 1, 2 DESC NULLS FIRST
SELECT DISTINCT ON (device, location) device, location FROM conditions ORDER BY location
SELECT DISTINCT ON (ok) ok, reading FROM conditions ORDER BY ok, reading DESC NULLS LAST, time
SELECT DISTINCT ON (humidity) humidity, time FROM conditions WHERE device = 3 ORDER BY humidity, time OFFSET 4
SELECT DISTINCT ON (location) location, time FROM conditions WHERE time < '2024-03-09' ORDER BY location, time
-- aggregates
SELECT location, max(temperature) FROM conditions GROUP BY location ORDER BY location
SELECT device, count(*), count(temperature), sum(temperature), min(time), max(time) FROM conditions GROUP BY device ORDER BY device
SELECT count(*), sum(amount), sum(small), sum(device), sum(reading), avg(device), avg(amount), avg(reading), avg(temperature) FROM conditions
SELECT location, avg(small), avg(reading) FROM conditions GROUP BY 1 ORDER BY 1
SELECT device, var_samp(reading), var_pop(reading), variance(amount), var_pop(small) FROM conditions GROUP BY device ORDER BY device
SELECT location, round(stddev(temperature)::numeric, 9), round(stddev_pop(temperature)::numeric, 9), round(variance(temperature)::numeric, 9), round(var_pop(humidity)::numeric, 5) FROM conditions GROUP BY location ORDER BY location
SELECT device, bool_and(ok), bool_or(ok) FROM conditions GROUP BY device ORDER BY device
SELECT device, count(*) FILTER (WHERE temperature > 15), sum(amount) FILTER (WHERE ok), avg(reading) FILTER (WHERE location = 'office_2') FROM conditions GROUP BY device ORDER BY device
SELECT date_trunc('hour', time) AS hour, count(*), max(temperature) FROM conditions GROUP BY hour ORDER BY hour LIMIT 20
SELECT time_bucket('3 hours', time) AS bucket, device, avg(temperature) FROM conditions WHERE device < 4 GROUP BY bucket, device ORDER BY bucket, device
SELECT time_bucket(10, small) AS b, count(*) FROM conditions GROUP BY b ORDER BY b
SELECT time_bucket(1000000000, amount) AS b, sum(small) FROM conditions GROUP BY b ORDER BY b
SELECT time_bucket('1 day', local) AS b, max(temperature) FROM conditions GROUP BY b ORDER BY b
SELECT device, count(*) FROM conditions GROUP BY device HAVING count(*) > 80 ORDER BY device
SELECT location, sum(temperature) FROM conditions GROUP BY location HAVING max(temperature) > 19 AND min(reading) < 0 ORDER BY sum(temperature) DESC
SELECT device, max(temperature) - min(temperature) AS spread FROM conditions GROUP BY device ORDER BY spread DESC NULLS LAST, device LIMIT 3
SELECT count(*) FROM conditions WHERE time < '2024-03-09'
SELECT max(temperature), avg(amount), sum(reading), var_samp(reading), stddev(temperature), count(*), bool_or(ok) FROM conditions WHERE device = 99
SELECT device % 3 AS m, sum(small) FROM conditions GROUP BY device % 3 ORDER BY 1 NULLS FIRST
SELECT note, count(*) FROM conditions GROUP BY note ORDER BY count(*) DESC, note LIMIT 4 OFFSET 1
SELECT extract(dow from time) AS dow, date_part('hour', time) AS h, count(*) FROM conditions GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 30
SELECT day, min(reading), max(reading), sum(reading) FROM conditions GROUP BY day ORDER BY day DESC LIMIT 10
SELECT ok, count(*), avg(small)::numeric(10,2) FROM conditions GROUP BY ok ORDER BY ok NULLS FIRST
SELECT location, device, count(*) FROM conditions GROUP BY location, device ORDER BY 3 DESC, 1, 2 LIMIT 10
SELECT min(note), max(note), min(location), max(day), min(local), max(humidity), min(humidity) FROM conditions
SELECT device, round(avg(humidity)::numeric, 4), max(humidity) FROM conditions GROUP BY device ORDER BY device
SELECT location, count(*) AS n FROM conditions GROUP BY location HAVING count(*) FILTER (WHERE ok) > 10 ORDER BY n DESC, location
SELECT device, count(*) FROM conditions WHERE location IN ('office_1', 'élan') AND reading IS NOT NULL GROUP BY device ORDER BY device
SELECT sum(reading * 2), avg(reading + small), max(amount / 1000), min(-temperature) FROM conditions
SELECT date_trunc('day', time) AS d, count(*), sum(amount) FROM conditions GROUP BY d ORDER BY d
SELECT device, var_samp(small), var_pop(amount) FROM conditions WHERE time < '2024-03-10' GROUP BY device ORDER BY device
SELECT count(*) AS c, location FROM conditions GROUP BY location ORDER BY c, location
SELECT device, min(temperature * 1.1), max(temperature / 3) FROM conditions GROUP BY device ORDER BY device
SELECT CASE WHEN device > 3 THEN 'high' ELSE 'low' END AS grp, count(*), avg(temperature) FROM conditions GROUP BY 1 ORDER BY 1
SELECT location, count(*) FROM conditions GROUP BY location ORDER BY location LIMIT 2
SELECT count(*), count(device), count(note) FROM conditions WHERE ok IS NULL OR ok
SELECT device, time, count(*) FROM conditions WHERE time < '2024-03-09 12:00' GROUP BY device, time ORDER BY time, device
SELECT time_bucket('1 day', day) AS b, count(*), sum(small) FROM conditions GROUP BY 1 ORDER BY 1
SELECT device, count(DISTINCT location) FROM conditions GROUP BY device ORDER BY device
SELECT location, count(DISTINCT device), count(*), sum(DISTINCT small), avg(DISTINCT reading), max(temperature) FROM conditions GROUP BY location ORDER BY location
SELECT count(DISTINCT location), count(DISTINCT device), sum(DISTINCT amount) FROM conditions
SELECT location, count(DISTINCT note) AS n FROM conditions GROUP BY location HAVING count(DISTINCT note) > 1 ORDER BY n DESC, location
SELECT date_trunc('day', time) AS d, count(DISTINCT device), sum(small) FROM conditions GROUP BY d ORDER BY d
partial-declines: SELECT device, count(DISTINCT location), stddev(reading) FROM conditions GROUP BY device ORDER BY device
SELECT location, count(DISTINCT device) FROM conditions GROUP BY location ORDER BY location LIMIT 2
SELECT location, count(DISTINCT device) FILTER (WHERE temperature > 15), count(DISTINCT device), sum(DISTINCT small) FILTER (WHERE ok), count(*) FILTER (WHERE ok) FROM conditions GROUP BY location ORDER BY location
SELECT count(DISTINCT location) FILTER (WHERE reading IS NULL OR reading > 3), avg(DISTINCT reading) FILTER (WHERE device > 2), count(DISTINCT location) FROM conditions
partial-declines: SELECT device, stddev(reading), stddev_pop(small), stddev_samp(amount) FROM conditions GROUP BY device ORDER BY device
