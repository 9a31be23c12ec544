-- Errors clients must see with PostgreSQL's SQLSTATE: syntax, unknown objects, arithmetic, bad literals.
CREATE TABLE err (id int, v text, n numeric, i2 int2, i8 int8, f float8);
INSERT INTO err VALUES (1, 'x', 1.5, 1, 1, 1.5);
-- error 42601
SELEC 1;
-- error 42601
SELECT 1 +;
-- error 42601
SELECT * FROM;
-- error 42601
SELECT 'abc' 'def';
-- error 42601
SELECT (1;
-- error 42601
INSERT INTO err VALUES;
-- error 42601
CREATE TABLE (a int);
-- error 42601
SELECT 1 2;
-- error 42601
UPDATE err SET WHERE id = 1;
-- error 42601
DELETE err;
-- error 42601
SELECT * FROM err WHERE;
-- error 42601
SELECT * FROM err ORDER id;
-- error 42P01
SELECT * FROM nosuch;
-- error 42P01
INSERT INTO nosuch VALUES (1);
-- error 42P01
UPDATE nosuch SET a = 1;
-- error 42P01
SELECT nosuch.id FROM err;
-- error 42703
SELECT nosuch FROM err;
-- error 42703
SELECT err.nosuch FROM err;
-- error 42703
SELECT * FROM err WHERE nosuch = 1;
-- error 42703
SELECT * FROM err ORDER BY nosuch;
-- error 42703
INSERT INTO err (nosuch) VALUES (1);
-- error 42883
SELECT nosuch();
-- error 42883
SELECT abs('x'::text);
-- error 42883
SELECT 1 @@@ 2;
-- error 42883
SELECT now(1, 2, 3);
-- error 42704
SELECT 1::nosuchtype;
-- error 22012
SELECT 1 / 0;
-- error 22012
SELECT 1.0 / 0;
-- error 22012
SELECT 1::float8 / 0;
-- error 22012
SELECT 1 % 0;
-- error 22012
SELECT id / (id - 1) FROM err;
-- error 22012
SELECT 5::int8 / 0::int8;
-- error 22012
SELECT 5::int2 / 0::int2;
-- error 22003
SELECT 2147483647 + 1;
-- error 22003
SELECT -2147483648 - 1;
-- error 22003
SELECT 2147483647 * 2;
-- error 22003
SELECT 9223372036854775807 + 1;
-- error 22003
SELECT 32767::int2 + 1::int2;
-- error 22003
SELECT (-2147483648)::int4 / -1;
-- error 22003
SELECT abs(-2147483648::int4);
-- error 22003
SELECT -(-9223372036854775808::int8);
-- error 22003
SELECT 1e308::float8 * 10;
-- error 22003
SELECT 10::float8 ^ 400;
-- error 22003
UPDATE err SET i2 = 100000;
-- error 22003
SELECT 1e200::numeric::float4;
-- error 22P02
SELECT 'x'::int;
-- error 22P02
SELECT ''::int;
-- error 22P02
SELECT '1 2'::int;
-- error 22P02
SELECT 'one'::numeric;
-- error 22P02
SELECT 'x'::float8;
-- error 22P02
INSERT INTO err (id) VALUES ('nope');
-- error 22P02
SELECT * FROM err WHERE id = 'nope';
-- error 22P02
SELECT '[1,2'::jsonb;
-- error 22007
SELECT 'xyz'::timestamptz;
-- error 22008
SELECT '2024-13-01'::date;
-- error 22008
SELECT '2024-01-01 24:00:01'::timestamp;
SELECT 'abc'::varchar(2), CAST('toolong' AS char(3));
-- error 21000
SELECT (SELECT id FROM err UNION ALL SELECT 2);
-- error 22P02
SELECT 1 WHERE 'x';
-- error 42804
SELECT * FROM err WHERE id;
-- error 42702
SELECT id FROM err a, err b;
-- error 42601
SELECT * FROM err ORDER BY 1, 1 DESC USING <;
-- error 42P01
SELECT * FROM err FOR UPDATE OF nosuch;
-- error 25P01
SAVEPOINT sp;
-- error 25P01
ROLLBACK TO SAVEPOINT nosuch;
BEGIN;
-- error 22012
SELECT 1 / 0;
-- error 25P02
SELECT 1;
ROLLBACK;
SELECT 1 AS after_rollback;
SELECT count(*) FROM err;
