-- DDL: CREATE/ALTER/DROP TABLE, schemas, search_path, views.
CREATE TABLE t1 (a int, b text);
INSERT INTO t1 VALUES (1, 'one'), (2, 'two'), (3, 'three');
SELECT a, b FROM t1 ORDER BY a;
-- error 42P07
CREATE TABLE t1 (x int);
CREATE TABLE IF NOT EXISTS t1 (x int);
SELECT * FROM t1 ORDER BY a;
ALTER TABLE t1 ADD COLUMN c boolean;
SELECT * FROM t1 ORDER BY a;
ALTER TABLE t1 ADD COLUMN d int DEFAULT 7;
SELECT a, d FROM t1 ORDER BY a;
ALTER TABLE t1 ADD COLUMN IF NOT EXISTS d int;
-- error 42701
ALTER TABLE t1 ADD COLUMN d int;
ALTER TABLE t1 DROP COLUMN c;
SELECT * FROM t1 ORDER BY a;
-- error 42703
ALTER TABLE t1 DROP COLUMN nosuch;
ALTER TABLE t1 DROP COLUMN IF EXISTS nosuch;
ALTER TABLE t1 RENAME COLUMN b TO name;
SELECT a, name FROM t1 ORDER BY a;
-- error 42703
SELECT b FROM t1;
ALTER TABLE t1 RENAME TO t1_renamed;
-- error 42P01
SELECT * FROM t1;
SELECT count(*) FROM t1_renamed;
ALTER TABLE t1_renamed ALTER COLUMN d SET DEFAULT 42;
INSERT INTO t1_renamed (a, name) VALUES (4, 'four');
SELECT a, d FROM t1_renamed ORDER BY a;
ALTER TABLE t1_renamed ALTER COLUMN d DROP DEFAULT;
INSERT INTO t1_renamed (a, name) VALUES (5, 'five');
SELECT a, d FROM t1_renamed WHERE a = 5;
ALTER TABLE t1_renamed ALTER COLUMN name SET NOT NULL;
-- error 23502
INSERT INTO t1_renamed (a) VALUES (6);
ALTER TABLE t1_renamed ALTER COLUMN name DROP NOT NULL;
INSERT INTO t1_renamed (a) VALUES (6);
ALTER TABLE t1_renamed ALTER COLUMN a TYPE bigint;
SELECT a, pg_typeof(a) FROM t1_renamed ORDER BY a;
ALTER TABLE t1_renamed ALTER COLUMN a TYPE text;
SELECT a FROM t1_renamed ORDER BY a;
DROP TABLE t1_renamed;
-- error 42P01
DROP TABLE t1_renamed;
DROP TABLE IF EXISTS t1_renamed;
CREATE TABLE quoted ("Mixed Case" int, "select" text);
INSERT INTO quoted VALUES (1, 'kw');
SELECT "Mixed Case", "select" FROM quoted;
-- error 42703
SELECT mixed case FROM quoted;
CREATE TABLE wide (i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision, n numeric(10,2), t text, v varchar(5), c char(3), b bool, d date, ts timestamp);
INSERT INTO wide VALUES (1, 2, 3, 1.5, 2.5, 3.14159, 'x', 'abc', 'z', true, '2024-01-02', '2024-01-02 03:04:05');
SELECT * FROM wide;
CREATE SCHEMA s1;
-- error 42P06
CREATE SCHEMA s1;
CREATE SCHEMA IF NOT EXISTS s1;
CREATE TABLE s1.items (id int, label text);
INSERT INTO s1.items VALUES (1, 'in s1');
SELECT * FROM s1.items;
-- error 42P01
SELECT * FROM items;
SET search_path TO s1, public;
SHOW search_path;
SELECT * FROM items;
CREATE TABLE items2 (id int);
SELECT count(*) FROM s1.items2;
SET search_path TO public;
-- error 42P01
SELECT * FROM items2;
CREATE TABLE items (id int, label text);
INSERT INTO items VALUES (2, 'in public');
SELECT label FROM items;
SELECT label FROM s1.items;
SET search_path TO s1, public;
SELECT label FROM items;
RESET search_path;
SELECT label FROM items;
-- error 2BP01
DROP SCHEMA s1;
DROP SCHEMA s1 CASCADE;
-- error 42P01
SELECT * FROM s1.items;
-- error 3F000
CREATE TABLE nosuchschema.t (a int);
CREATE TABLE base (id int, grp text, val int);
INSERT INTO base VALUES (1, 'a', 10), (2, 'a', 20), (3, 'b', 30), (4, null, 40);
CREATE VIEW v_base AS SELECT id, val * 2 AS dbl FROM base WHERE grp = 'a';
SELECT * FROM v_base ORDER BY id;
INSERT INTO base VALUES (5, 'a', 50);
SELECT * FROM v_base ORDER BY id;
CREATE VIEW v_agg AS SELECT grp, sum(val) AS total FROM base GROUP BY grp;
SELECT * FROM v_agg ORDER BY grp NULLS FIRST;
SELECT v.id, b.val FROM v_base v JOIN base b ON b.id = v.id ORDER BY v.id;
CREATE OR REPLACE VIEW v_base AS SELECT id, val * 3 AS dbl FROM base WHERE grp = 'a';
SELECT * FROM v_base ORDER BY id;
-- error 42P07
CREATE VIEW v_base AS SELECT 1 AS x;
-- error 2BP01
DROP TABLE base;
DROP VIEW v_agg;
DROP VIEW v_base;
DROP TABLE base;
-- error 42P01
DROP VIEW v_base;
DROP VIEW IF EXISTS v_base;
CREATE TEMP TABLE tmp1 (a int);
INSERT INTO tmp1 VALUES (1), (2);
SELECT sum(a) FROM tmp1;
CREATE TABLE ctas AS SELECT g AS n, g * g AS sq FROM generate_series(1, 5) g;
SELECT * FROM ctas ORDER BY n;
CREATE TABLE ctas2 AS SELECT n FROM ctas WHERE n > 3 WITH NO DATA;
SELECT count(*) FROM ctas2;
DROP TABLE ctas, ctas2, wide, quoted;
-- error 42601
CREATE TABLE bad (a int,);
-- error 42704
CREATE TABLE bad (a nosuchtype);
-- error 42701
CREATE TABLE bad (a int, a text);
