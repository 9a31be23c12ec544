-- Subqueries (scalar, IN, EXISTS, correlated, in FROM, ANY/ALL) and WITH (incl. RECURSIVE).
CREATE TABLE orders (id int PRIMARY KEY, cust text, amount numeric, placed date);
CREATE TABLE cust (name text PRIMARY KEY, region text);
INSERT INTO cust VALUES ('ann', 'east'), ('bob', 'west'), ('cy', 'east'), ('dee', NULL);
INSERT INTO orders VALUES (1, 'ann', 10.5, '2024-01-01'), (2, 'ann', 20, '2024-01-05'), (3, 'bob', 7.25, '2024-02-01'), (4, 'cy', 100, '2024-02-10'), (5, 'zed', 1, '2024-03-01'), (6, 'bob', NULL, '2024-03-02');
SELECT (SELECT max(amount) FROM orders) AS mx;
SELECT name, (SELECT count(*) FROM orders o WHERE o.cust = c.name) AS n FROM cust c ORDER BY name;
SELECT name, (SELECT sum(amount) FROM orders o WHERE o.cust = c.name) AS total FROM cust c ORDER BY name;
SELECT id FROM orders WHERE amount > (SELECT avg(amount) FROM orders) ORDER BY id;
SELECT id FROM orders WHERE cust IN (SELECT name FROM cust WHERE region = 'east') ORDER BY id;
SELECT id FROM orders WHERE cust NOT IN (SELECT name FROM cust WHERE region = 'east') ORDER BY id;
SELECT id FROM orders WHERE cust NOT IN (SELECT region FROM cust);
SELECT name FROM cust c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.cust = c.name) ORDER BY name;
SELECT name FROM cust c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.cust = c.name) ORDER BY name;
SELECT id, amount FROM orders o WHERE amount = (SELECT max(amount) FROM orders o2 WHERE o2.cust = o.cust) ORDER BY id;
SELECT id FROM orders WHERE amount > ANY (SELECT amount FROM orders WHERE cust = 'ann') ORDER BY id;
SELECT id FROM orders WHERE amount > ALL (SELECT amount FROM orders WHERE cust = 'ann') ORDER BY id;
SELECT id FROM orders WHERE amount < ALL (SELECT amount FROM orders WHERE cust = 'nobody') ORDER BY id;
SELECT id FROM orders WHERE amount = ANY (SELECT amount FROM orders WHERE cust = 'nobody');
SELECT id FROM orders WHERE cust = ANY (ARRAY['ann', 'cy']) ORDER BY id;
SELECT t.cust, t.total FROM (SELECT cust, sum(amount) AS total FROM orders GROUP BY cust) t WHERE t.total > 10 ORDER BY t.cust;
SELECT count(*) FROM (SELECT DISTINCT cust FROM orders) s;
SELECT * FROM (SELECT id, amount * 2 AS dbl FROM orders) s WHERE dbl > 20 ORDER BY id;
SELECT (SELECT name FROM cust WHERE name = 'nobody') IS NULL AS missing;
-- error 21000
SELECT (SELECT name FROM cust);
-- error 42601
SELECT (SELECT name, region FROM cust LIMIT 1);
SELECT 1 IN (SELECT 1 UNION SELECT NULL) AS a, 2 IN (SELECT 1 UNION SELECT NULL) AS b, 2 NOT IN (SELECT 1 UNION SELECT NULL) AS c;
SELECT EXISTS (SELECT 1 FROM orders WHERE amount IS NULL) AS has_null;
SELECT c.name, (SELECT o.id FROM orders o WHERE o.cust = c.name ORDER BY o.amount DESC NULLS LAST LIMIT 1) AS top FROM cust c ORDER BY c.name;
SELECT name FROM cust WHERE region = (SELECT region FROM cust WHERE name = 'ann') ORDER BY name;
SELECT id FROM orders WHERE (cust, amount) IN (SELECT 'ann', 20::numeric UNION ALL SELECT 'bob', 7.25) ORDER BY id;
SELECT id FROM orders WHERE (cust, id) = ('ann', 1);
WITH big AS (SELECT * FROM orders WHERE amount >= 10) SELECT id, cust FROM big ORDER BY id;
WITH t AS (SELECT cust, sum(amount) s FROM orders GROUP BY cust), u AS (SELECT * FROM t WHERE s > 5) SELECT cust, s FROM u ORDER BY cust;
WITH t(x, y) AS (VALUES (1, 2), (3, 4)) SELECT x + y FROM t ORDER BY 1;
WITH t AS (SELECT 1 AS a) SELECT * FROM t t1, t t2;
WITH RECURSIVE cnt(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM cnt WHERE n < 10) SELECT sum(n), count(*) FROM cnt;
WITH RECURSIVE fib(a, b) AS (SELECT 0::bigint, 1::bigint UNION ALL SELECT b, a + b FROM fib WHERE b < 1000) SELECT a FROM fib ORDER BY a;
CREATE TABLE tree (id int, parent int, label text);
INSERT INTO tree VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 1, 'b'), (4, 2, 'a1'), (5, 4, 'a1x'), (6, 3, 'b1');
WITH RECURSIVE sub AS (SELECT id, label, 0 AS depth FROM tree WHERE id = 2 UNION ALL SELECT t.id, t.label, s.depth + 1 FROM tree t JOIN sub s ON t.parent = s.id) SELECT * FROM sub ORDER BY id;
WITH RECURSIVE path AS (SELECT id, label::text AS p FROM tree WHERE parent IS NULL UNION ALL SELECT t.id, path.p || '/' || t.label FROM tree t JOIN path ON t.parent = path.id) SELECT p FROM path ORDER BY p;
WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT (n % 3) + 1 FROM r) SELECT n FROM r ORDER BY n;
WITH ins AS (INSERT INTO cust VALUES ('eve', 'north') RETURNING name) SELECT name FROM ins;
WITH del AS (DELETE FROM orders WHERE cust = 'zed' RETURNING id) SELECT count(*) FROM del;
WITH upd AS (UPDATE orders SET amount = amount + 1 WHERE cust = 'cy' RETURNING id, amount) SELECT * FROM upd;
SELECT count(*) FROM orders;
WITH m AS MATERIALIZED (SELECT max(id) AS mx FROM orders) SELECT mx FROM m;
WITH m AS NOT MATERIALIZED (SELECT min(id) AS mn FROM orders) SELECT mn FROM m;
-- error 42P01
WITH t AS (SELECT 1) SELECT * FROM u;
-- error 42P19
WITH RECURSIVE r(n) AS (SELECT n FROM r UNION ALL SELECT 1) SELECT * FROM r;
SELECT o.id, c.region FROM orders o LEFT JOIN cust c ON c.name = o.cust WHERE c.region IS NOT NULL AND o.id IN (SELECT id FROM orders WHERE amount > 5) ORDER BY o.id;
SELECT cust, amount FROM orders o1 WHERE 1 < (SELECT count(*) FROM orders o2 WHERE o2.cust = o1.cust) ORDER BY cust, amount NULLS LAST;
SELECT region, (SELECT count(*) FROM cust c2 WHERE c2.region = c1.region) FROM cust c1 GROUP BY region ORDER BY region NULLS LAST;
SELECT ARRAY(SELECT id FROM orders WHERE cust = 'ann' ORDER BY id) AS ids;
SELECT x FROM (SELECT 1 AS x UNION ALL SELECT 2) s WHERE x > (SELECT 1);
SELECT * FROM (SELECT * FROM (SELECT id, cust FROM orders) a WHERE id < 4) b ORDER BY id;
-- error 42601
SELECT * FROM (SELECT 1);
SELECT * FROM (SELECT 1) AS s(one);
-- a subquery in FROM, or a WITH query, inside a correlated subquery may refer to the outer query
SELECT t.oid, (SELECT x.typname FROM (SELECT t2.typname FROM pg_type t2 WHERE t2.oid = t.oid) x) FROM pg_type t WHERE t.oid IN (23, 25) ORDER BY 1;
SELECT a.n, (SELECT count(*) FROM (SELECT b.n FROM (SELECT c.n FROM generate_series(1, 5) c(n) WHERE c.n <= a.n) b) d) FROM generate_series(1, 3) a(n);
SELECT t.oid, (WITH x AS (SELECT t2.typname FROM pg_type t2 WHERE t2.oid = t.oid) SELECT typname FROM x) FROM pg_type t WHERE t.oid IN (23, 25) ORDER BY 1;
SELECT t.oid, (WITH RECURSIVE b(oid, depth) AS (SELECT t2.typelem, 0 FROM pg_type t2 WHERE t2.oid = t.oid UNION ALL SELECT t2.typelem, b.depth + 1 FROM pg_type t2, b WHERE b.oid = t2.oid AND t2.typelem != 0) SELECT oid FROM b ORDER BY depth DESC LIMIT 1) FROM pg_type t WHERE t.oid IN (23, 1007) ORDER BY 1;
SELECT a.n, (WITH s AS (SELECT c.n FROM generate_series(1, 5) c(n) WHERE c.n <= a.n) SELECT sum(n) FROM s) FROM generate_series(1, 3) a(n);
-- correlated subqueries through derived tables, WITH queries, LATERAL, UNION ALL and nested levels
CREATE TABLE corr_a (id int, g int);
CREATE TABLE corr_b (id int, a_id int, v int);
INSERT INTO corr_a VALUES (1, 1), (2, 1), (3, 2), (4, NULL);
INSERT INTO corr_b VALUES (1, 1, 10), (2, 1, 20), (3, 2, 5), (4, 3, 7), (5, 3, 8), (6, NULL, 1);
SELECT a.id, (SELECT sum(d.v) FROM (SELECT b.v FROM corr_b b WHERE b.a_id = a.id) d) FROM corr_a a ORDER BY 1;
SELECT a.id FROM corr_a a WHERE EXISTS (SELECT 1 FROM (SELECT b.v FROM corr_b b WHERE b.a_id = a.id AND b.v > 6) d) ORDER BY 1;
SELECT a.id FROM corr_a a WHERE a.id IN (SELECT d.a_id FROM (SELECT b.a_id FROM corr_b b WHERE b.v > a.id * 4) d) ORDER BY 1;
SELECT a.id, (SELECT max(x.m) FROM (SELECT max(b.v) AS m FROM corr_b b WHERE b.a_id = a.id GROUP BY b.a_id) x) FROM corr_a a ORDER BY 1;
SELECT a.id, l.s FROM corr_a a, LATERAL (SELECT sum(v) AS s FROM (SELECT v FROM corr_b b WHERE b.a_id = a.id) d) l ORDER BY 1;
SELECT a.id, (WITH w AS (SELECT b.v FROM corr_b b WHERE b.a_id = a.id) SELECT count(*) FROM w) FROM corr_a a ORDER BY 1;
SELECT a.id, (SELECT count(*) FROM (WITH w AS (SELECT 1 AS one) SELECT one FROM w) z) FROM corr_a a ORDER BY 1;
SELECT a.id, (SELECT string_agg(d.v::text, ',' ORDER BY d.v) FROM (SELECT b.v FROM corr_b b WHERE b.a_id = a.id UNION ALL SELECT a.g) d) FROM corr_a a ORDER BY 1;
SELECT a.id, (SELECT (SELECT count(*) FROM (SELECT 1 FROM corr_b b WHERE b.a_id = a2.id) q) FROM corr_a a2 WHERE a2.id = a.id) FROM corr_a a ORDER BY 1;
SELECT a.g, (SELECT count(*) FROM (SELECT b.id FROM corr_b b WHERE b.a_id IN (SELECT a3.id FROM corr_a a3 WHERE a3.g = a.g)) d) FROM corr_a a GROUP BY a.g ORDER BY 1;
DROP TABLE corr_a, corr_b;
