-- Expressions: CASE, COALESCE, NULLIF, GREATEST/LEAST, LIKE/ILIKE, BETWEEN, IN, ANY/ALL, IS [NOT]
-- DISTINCT FROM, NULL logic, operator precedence, generate_series.
CREATE TABLE e (id int, a int, b int, s text);
INSERT INTO e VALUES (1, 1, 2, 'apple'), (2, 5, 5, 'Banana'), (3, NULL, 3, 'cherry'), (4, 7, NULL, NULL), (5, -2, 0, 'a_b%c');
SELECT id, CASE WHEN a > b THEN 'gt' WHEN a < b THEN 'lt' WHEN a = b THEN 'eq' ELSE 'null' END FROM e ORDER BY id;
SELECT id, CASE a WHEN 1 THEN 'one' WHEN 5 THEN 'five' END FROM e ORDER BY id;
SELECT CASE WHEN NULL THEN 1 ELSE 2 END;
SELECT CASE 1 WHEN NULL THEN 'x' ELSE 'y' END;
SELECT id, coalesce(a, b, -1) FROM e ORDER BY id;
SELECT coalesce(NULL, NULL, 'z'), coalesce(NULL::int, 3);
SELECT id, nullif(a, b) FROM e ORDER BY id;
SELECT nullif('a', 'a') IS NULL, nullif(1, 2);
SELECT greatest(1, 5, 3), least(1, 5, 3), greatest('a', 'b'), least(2.5, 1);
SELECT id, greatest(a, b), least(a, b) FROM e ORDER BY id;
SELECT greatest(NULL, NULL::int), least(1, NULL);
SELECT s FROM e WHERE s LIKE 'a%' ORDER BY s;
SELECT s FROM e WHERE s LIKE '%an%' ORDER BY s;
SELECT s FROM e WHERE s ILIKE 'b%' ORDER BY s;
SELECT s FROM e WHERE s NOT LIKE '%a%' ORDER BY s;
SELECT s FROM e WHERE s LIKE '_____' ORDER BY s;
SELECT s FROM e WHERE s LIKE 'a\_b\%c';
SELECT s FROM e WHERE s LIKE 'a#_b%' ESCAPE '#';
SELECT 'abc' LIKE 'ABC', 'abc' ILIKE 'ABC', 'abc' NOT ILIKE 'a%', 'ab' ~~ 'a_', 'AB' ~~* 'a_';
SELECT NULL LIKE 'a', 'a' LIKE NULL;
SELECT 'foobar' ~ 'o+b', 'foobar' ~* 'FOO', 'foobar' !~ '^x';
SELECT id FROM e WHERE a BETWEEN 1 AND 5 ORDER BY id;
SELECT id FROM e WHERE a NOT BETWEEN 1 AND 5 ORDER BY id;
SELECT 3 BETWEEN 5 AND 1, 3 BETWEEN SYMMETRIC 5 AND 1;
SELECT id FROM e WHERE a IN (1, 7, NULL) ORDER BY id;
SELECT id FROM e WHERE a NOT IN (1, 7) ORDER BY id;
SELECT id FROM e WHERE a NOT IN (1, NULL);
SELECT 1 IN (1, NULL), 2 IN (1, NULL), NULL IN (1, 2), 1 NOT IN (2, 3);
SELECT 'a' IN ('a', 'b'), 2.0 IN (1, 2);
SELECT 2 = ANY (ARRAY[1, 2, 3]), 4 = ANY (ARRAY[1, 2, 3]), 2 <> ALL (ARRAY[1, 3]), 5 > ALL (ARRAY[1, 2]);
SELECT 1 = ANY (ARRAY[NULL, 2]), 1 = ANY (ARRAY[]::int[]), 1 = ALL (ARRAY[]::int[]);
SELECT 'b' = ANY ('{a,b}'::text[]), 3 < ANY ('{1,5}'::int[]);
SELECT id FROM e WHERE a IS DISTINCT FROM b ORDER BY id;
SELECT id FROM e WHERE a IS NOT DISTINCT FROM b ORDER BY id;
SELECT NULL IS DISTINCT FROM NULL, 1 IS DISTINCT FROM NULL, NULL::int IS NOT DISTINCT FROM NULL;
SELECT id, a IS NULL, b IS NOT NULL FROM e ORDER BY id;
SELECT true AND NULL, false AND NULL, true OR NULL, false OR NULL, NOT NULL::bool;
SELECT NULL = NULL, NULL <> 1, NULL + 1, 'x' || NULL;
SELECT true IS TRUE, NULL::bool IS UNKNOWN, false IS NOT TRUE, NULL::bool IS NOT FALSE;
SELECT 2 + 3 * 4, (2 + 3) * 4, 2 ^ 3 ^ 2, -2 ^ 2, 7 / 2, 7 % 3, -7 / 2, -7 % 3;
SELECT 7.0 / 2, 1 / 3.0, 2 * 3.5, 10 - 2.25;
SELECT 1 < 2 AND 2 < 3 OR false, NOT 1 = 2;
SELECT 5 & 3, 5 | 3, 5 # 3, ~5, 1 << 4, 256 >> 2;
SELECT abs(-5), @ -5.5, |/ 16.0, ||/ 27.0;
SELECT 'a' || 'b' || 'c', 'n=' || 5, 5 || '!';
SELECT g FROM generate_series(1, 5) g;
SELECT g FROM generate_series(10, 1, -3) g;
SELECT g FROM generate_series(1, 0) g;
SELECT count(*), sum(g) FROM generate_series(1, 1000) g;
SELECT generate_series(1, 3) AS g;
SELECT g FROM generate_series(1.0, 2.0, 0.5) g;
SELECT g::date FROM generate_series('2024-01-30'::timestamp, '2024-02-02', '1 day') g;
SELECT x, y FROM generate_series(1, 2) x, generate_series(1, x) y ORDER BY x, y;
SELECT * FROM generate_series(1, 3) WITH ORDINALITY AS t(v, i);
SELECT unnest(ARRAY[3, 1, 2]) AS u;
SELECT * FROM unnest(ARRAY['a', 'b'], ARRAY[1, 2, 3]) AS t(l, n);
-- error 22023
SELECT * FROM generate_series(1, 5, 0);
SELECT id, CASE WHEN s IS NULL THEN 'none' WHEN length(s) > 5 THEN 'long' ELSE 'short' END AS kind FROM e ORDER BY kind, id;
SELECT id FROM e WHERE CASE WHEN a IS NULL THEN false ELSE a > 0 END ORDER BY id;
SELECT CASE WHEN 1 = 1 THEN 1 ELSE 1 / 0 END;
SELECT coalesce(1, 1 / 0);
SELECT (1, 2) = (1, 2), (1, 2) < (1, 3), (1, NULL) = (1, 2), ROW(1, 'a') <> ROW(1, 'b');
-- error 42804
SELECT CASE WHEN true THEN 1 ELSE 'x'::text END;
-- error 42804
SELECT coalesce(1, 'a'::text);
-- error 42883
SELECT 'a'::text + 1;
-- error 42804
SELECT * FROM e WHERE a;
-- error 22P02
SELECT 1 = 'x';
SELECT * FROM unnest(ARRAY[1, 2], ARRAY['x', 'y', 'z'], ARRAY[true]);
SELECT * FROM unnest(ARRAY[10, 20], ARRAY['a', 'b']) WITH ORDINALITY AS t(n, s, o) ORDER BY o DESC;
SELECT u.* FROM unnest(ARRAY[[1, 2], [3, 4]], NULL::int[]) u;
-- error 42883
SELECT unnest(ARRAY[1], ARRAY[2]);
