-- Window functions: ranking, offsets, frames (ROWS, RANGE, GROUPS, EXCLUDE), named windows,
-- windows over grouped rows, and PostgreSQL's errors. Peers keep no order in PostgreSQL's sort,
-- so order-sensitive results order by a unique key.
CREATE TABLE wemp (id int PRIMARY KEY, dept text, salary int, hired date, bonus numeric, score float8, at timestamptz, gap interval);
INSERT INTO wemp VALUES
  (1, 'eng', 100, '2020-01-01', 1.5, 0.5, '2024-01-01 10:00+00', '1 day'),
  (2, 'eng', 120, '2020-02-01', 2.5, 1.5, '2024-01-01 12:00+00', '2 days'),
  (3, 'eng', 120, '2020-03-01', 2.5, NULL, '2024-01-02 10:00+00', '3 days'),
  (4, 'ops', 90, '2020-01-15', NULL, 4.5, '2024-01-05 10:00+00', NULL),
  (5, 'ops', NULL, '2021-01-01', 7, 7, NULL, '1 mon'),
  (6, 'hr', 70, '2019-05-05', 9.5, 9.5, '2024-01-01 11:00+00', '10 days'),
  (7, 'eng', 80, '2022-01-01', NULL, NULL, NULL, NULL),
  (8, 'ops', 90, '2020-06-01', 3, 2, '2024-01-01 09:00+00', '12 hours');
SELECT id, dept, salary, row_number() OVER (PARTITION BY dept ORDER BY salary DESC, id) FROM wemp ORDER BY id;
SELECT id, salary, rank() OVER (ORDER BY salary), dense_rank() OVER (ORDER BY salary), percent_rank() OVER (ORDER BY salary), cume_dist() OVER (ORDER BY salary) FROM wemp ORDER BY id;
SELECT id, rank() OVER (ORDER BY salary DESC NULLS LAST), rank() OVER (ORDER BY salary NULLS FIRST) FROM wemp ORDER BY id;
SELECT id, ntile(3) OVER (ORDER BY id), ntile(5) OVER (PARTITION BY dept ORDER BY id), ntile(NULL) OVER (ORDER BY id) FROM wemp ORDER BY id;
SELECT id, lag(salary) OVER w, lead(salary, 2) OVER w, lag(salary, 1, 0) OVER w, lead(id, -1) OVER w, lag(id, NULL) OVER w FROM wemp WINDOW w AS (ORDER BY id) ORDER BY id;
SELECT id, lag(salary, 1, 0.5) OVER (ORDER BY id), lead(dept, 1, 'none') OVER (PARTITION BY dept ORDER BY id) FROM wemp ORDER BY id;
SELECT pg_typeof(lag(salary, 1, 0.5) OVER ()), pg_typeof(ntile(2) OVER ()), pg_typeof(rank() OVER ()), pg_typeof(cume_dist() OVER ()), pg_typeof(lag('x', 1, 'y') OVER ()) FROM wemp LIMIT 1;
-- error 42804
SELECT lag('x') OVER () FROM wemp;
SELECT id, sum(salary) OVER (ORDER BY id), avg(salary) OVER (PARTITION BY dept), count(*) OVER (), count(salary) OVER (ORDER BY salary) FROM wemp ORDER BY id;
SELECT id, min(salary) OVER (PARTITION BY dept), max(hired) OVER (PARTITION BY dept ORDER BY hired), bool_and(salary > 80) OVER (ORDER BY id) FROM wemp ORDER BY id;
SELECT id, sum(salary) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), max(salary) OVER (ORDER BY id ROWS 2 PRECEDING) FROM wemp ORDER BY id;
SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 2 FOLLOWING AND 3 FOLLOWING), sum(id) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 2 PRECEDING) FROM wemp ORDER BY id;
SELECT id, salary, sum(salary) OVER (ORDER BY salary GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM wemp ORDER BY id;
SELECT id, salary, count(*) OVER (ORDER BY salary GROUPS BETWEEN 2 FOLLOWING AND UNBOUNDED FOLLOWING), count(*) OVER (ORDER BY salary GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) FROM wemp ORDER BY id;
SELECT id, sum(id) OVER (ORDER BY salary GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP) FROM wemp ORDER BY id;
SELECT id, string_agg(id::text, ',') OVER (ORDER BY salary, id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) FROM wemp ORDER BY id;
SELECT id, salary, sum(id) OVER (ORDER BY salary RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE TIES), sum(id) OVER (ORDER BY salary RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP) FROM wemp ORDER BY id;
SELECT id, first_value(id) OVER w, last_value(id) OVER w, nth_value(id, 2) OVER w FROM wemp WINDOW w AS (PARTITION BY dept ORDER BY salary, id) ORDER BY id;
SELECT id, first_value(id) OVER w, last_value(id) OVER w, nth_value(id, 3) OVER w FROM wemp WINDOW w AS (PARTITION BY dept ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) ORDER BY id;
SELECT id, salary, sum(id) OVER (ORDER BY salary RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING), count(*) OVER (ORDER BY salary RANGE 20 PRECEDING) FROM wemp ORDER BY id;
SELECT id, salary, sum(id) OVER (ORDER BY salary DESC RANGE BETWEEN 10 PRECEDING AND 30 FOLLOWING) FROM wemp ORDER BY id;
SELECT id, salary, sum(id) OVER (ORDER BY salary NULLS FIRST RANGE BETWEEN 5 FOLLOWING AND 25 FOLLOWING) FROM wemp ORDER BY id;
SELECT id, score, sum(id) OVER (ORDER BY score RANGE BETWEEN 1.5 PRECEDING AND 'Infinity' FOLLOWING) FROM wemp ORDER BY id;
SELECT id, bonus, sum(id) OVER (ORDER BY bonus RANGE BETWEEN 1 PRECEDING AND 0.5 FOLLOWING) FROM wemp ORDER BY id;
SELECT id, hired, sum(id) OVER (ORDER BY hired RANGE BETWEEN '31 days' PRECEDING AND '1 mon' FOLLOWING) FROM wemp ORDER BY id;
SELECT id, at, sum(id) OVER (ORDER BY at RANGE BETWEEN '2 hours' PRECEDING AND CURRENT ROW) FROM wemp ORDER BY id;
SELECT id, gap, sum(id) OVER (ORDER BY gap RANGE BETWEEN '1 day' PRECEDING AND '1 day' FOLLOWING) FROM wemp ORDER BY id;
SELECT dept, count(*), rank() OVER (ORDER BY count(*) DESC, dept), sum(sum(salary)) OVER () FROM wemp GROUP BY dept ORDER BY dept;
SELECT dept, avg(salary)::numeric(10,2), lag(dept) OVER (ORDER BY dept) FROM wemp GROUP BY dept HAVING count(*) > 1 ORDER BY dept;
SELECT sum(salary) FILTER (WHERE dept = 'eng') OVER (ORDER BY id), count(*) FILTER (WHERE salary > 85) OVER () FROM wemp ORDER BY id;
SELECT * FROM (SELECT id, dept, row_number() OVER (PARTITION BY dept ORDER BY salary DESC NULLS LAST, id) rn FROM wemp) s WHERE rn = 1 ORDER BY id;
SELECT id, rank() OVER (PARTITION BY dept ORDER BY salary) r FROM wemp ORDER BY r, id;
SELECT DISTINCT dept, count(*) OVER (PARTITION BY dept) FROM wemp ORDER BY 1;
SELECT id, row_number() OVER (ORDER BY id) FROM wemp ORDER BY 2 DESC LIMIT 3;
SELECT id, sum(id) OVER (w ORDER BY id), count(*) OVER w FROM wemp WINDOW w AS (PARTITION BY dept) ORDER BY id;
SELECT x, sum(x) OVER (ORDER BY x), avg(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM generate_series(1, 5) x ORDER BY x;
SELECT id, rank() OVER (ORDER BY (SELECT count(*) FROM wemp e2 WHERE e2.dept = wemp.dept) DESC, id) FROM wemp ORDER BY id;
SELECT count(*) OVER (ORDER BY id ROWS 1 PRECEDING) FROM wemp WHERE false;
SELECT id, array_agg(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM wemp ORDER BY id;
SELECT id, row_number() OVER (ORDER BY id), sum(salary) OVER (ORDER BY id), lag(salary, 2, -1) OVER (ORDER BY id), count(*) FILTER (WHERE salary > 85) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) FROM wemp ORDER BY id LIMIT 4;
SELECT id, dense_rank() OVER (ORDER BY id DESC), sum(id) OVER (ORDER BY id DESC) FROM wemp ORDER BY id DESC LIMIT 3;
SELECT dept, id, rank() OVER (PARTITION BY dept ORDER BY id), lead(id) OVER (PARTITION BY dept ORDER BY id) FROM wemp ORDER BY dept, id;
SELECT id, lead(id, 1, 0) OVER (ORDER BY id) FROM wemp ORDER BY id LIMIT 3;
-- error 42P20
SELECT id FROM wemp WHERE row_number() OVER () > 1;
-- error 42809
SELECT rank() FROM wemp;
-- error 42803
SELECT sum(rank() OVER ()) FROM wemp;
-- error 42P20
SELECT rank() OVER (ORDER BY rank() OVER ()) FROM wemp;
-- error 42809
SELECT lower('x') OVER () FROM wemp;
-- error 0A000
SELECT count(DISTINCT id) OVER () FROM wemp;
-- error 42P20
SELECT id, sum(id) OVER w FROM wemp WINDOW w AS (ORDER BY id), w AS (ORDER BY id);
-- error 42704
SELECT id, sum(id) OVER nope FROM wemp;
-- error 42P20
SELECT id, sum(id) OVER (w ORDER BY id) FROM wemp WINDOW w AS (ORDER BY id);
-- error 42P20
SELECT id, sum(id) OVER (w PARTITION BY id) FROM wemp WINDOW w AS (ORDER BY id);
-- error 42P20
SELECT id, sum(id) OVER (w) FROM wemp WINDOW w AS (ORDER BY id ROWS 1 PRECEDING);
-- error 22013
SELECT id, sum(id) OVER (ORDER BY id ROWS -1 PRECEDING) FROM wemp;
-- error 22004
SELECT id, sum(id) OVER (ORDER BY id ROWS NULL PRECEDING) FROM wemp;
-- error 22014
SELECT ntile(0) OVER () FROM wemp;
-- error 22016
SELECT nth_value(id, 0) OVER () FROM wemp;
-- error 42P20
SELECT id, sum(id) OVER (GROUPS 1 PRECEDING) FROM wemp;
-- error 42P20
SELECT id, sum(id) OVER (ORDER BY id, dept RANGE 1 PRECEDING) FROM wemp;
-- error 22013
SELECT id, sum(id) OVER (ORDER BY salary RANGE -1 PRECEDING) FROM wemp;
-- error 0A000
SELECT id, sum(id) OVER (ORDER BY salary RANGE 1.5 PRECEDING) FROM wemp;
-- error 0A000
SELECT id, sum(id) OVER (ORDER BY dept RANGE 1 PRECEDING) FROM wemp;
-- error 42P10
SELECT id, sum(id) OVER (ORDER BY id ROWS id PRECEDING) FROM wemp;
-- error 42P20
SELECT id, salary FROM wemp GROUP BY id HAVING rank() OVER () > 1;
-- error 42803
SELECT dept, rank() OVER (ORDER BY salary) FROM wemp GROUP BY dept;
-- error 42P20
SELECT id FROM wemp GROUP BY rank() OVER ();
-- error 0A000
SELECT id, sum(id ORDER BY id) OVER () FROM wemp;
-- error 0A000
SELECT id, rank() FILTER (WHERE id > 1) OVER () FROM wemp;
