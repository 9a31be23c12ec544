-- Aggregates, GROUP BY/HAVING, DISTINCT/FILTER in aggregates, DISTINCT and DISTINCT ON, window-free.
CREATE TABLE sales (id int, region text, product text, qty int, price numeric(8,2), sold date);
INSERT INTO sales VALUES
  (1, 'east', 'apple', 10, 1.50, '2024-01-01'),
  (2, 'east', 'pear', 5, 2.00, '2024-01-02'),
  (3, 'west', 'apple', 7, 1.50, '2024-01-02'),
  (4, 'west', 'apple', 3, 1.75, '2024-01-03'),
  (5, 'north', 'fig', NULL, 4.00, '2024-01-03'),
  (6, 'east', 'apple', 10, 1.50, '2024-01-04'),
  (7, NULL, 'pear', 2, NULL, '2024-01-05'),
  (8, 'west', 'kiwi', 8, 0.99, NULL);
SELECT count(*), count(qty), count(price), count(DISTINCT region) FROM sales;
SELECT sum(qty), min(qty), max(qty), avg(qty) FROM sales;
SELECT sum(price), avg(price), min(price), max(price) FROM sales;
SELECT sum(qty * price) FROM sales;
SELECT region, count(*) FROM sales GROUP BY region ORDER BY region NULLS FIRST;
SELECT region, product, sum(qty) FROM sales GROUP BY region, product ORDER BY region, product;
SELECT region, sum(qty) AS total FROM sales GROUP BY region HAVING sum(qty) > 10 ORDER BY total DESC;
SELECT region, count(*) FROM sales GROUP BY 1 HAVING count(*) >= 2 ORDER BY 1;
SELECT product, count(DISTINCT region) AS regions FROM sales GROUP BY product ORDER BY product;
SELECT product, sum(DISTINCT qty) FROM sales GROUP BY product ORDER BY product;
SELECT count(*) FILTER (WHERE qty > 5) AS big, count(*) FILTER (WHERE qty <= 5) AS small FROM sales;
SELECT region, sum(qty) FILTER (WHERE product = 'apple') AS apples FROM sales GROUP BY region ORDER BY region NULLS LAST;
SELECT avg(qty) FILTER (WHERE region = 'east') FROM sales;
SELECT string_agg(product, ',' ORDER BY product) FROM sales;
SELECT string_agg(DISTINCT product, '|' ORDER BY product) FROM sales;
SELECT region, string_agg(product, ',' ORDER BY id) FROM sales GROUP BY region ORDER BY region NULLS LAST;
SELECT array_agg(id ORDER BY id DESC) FROM sales WHERE region = 'east';
SELECT array_agg(qty ORDER BY id) FROM sales;
SELECT bool_and(qty > 0), bool_or(qty > 9), every(price > 1) FROM sales;
SELECT count(*) FROM sales WHERE false;
SELECT sum(qty), max(product), avg(price) FROM sales WHERE false;
SELECT region, count(*) FROM sales WHERE false GROUP BY region;
SELECT 1 AS one FROM sales HAVING count(*) > 0;
SELECT count(*) FROM sales HAVING count(*) > 100;
SELECT DISTINCT region FROM sales ORDER BY region NULLS FIRST;
SELECT DISTINCT region, product FROM sales ORDER BY 1, 2;
SELECT DISTINCT qty FROM sales;
SELECT DISTINCT ON (region) region, product, qty FROM sales ORDER BY region, qty DESC NULLS LAST, id;
SELECT DISTINCT ON (product) product, sold FROM sales ORDER BY product, sold DESC NULLS LAST;
SELECT count(DISTINCT (region, product)) FROM sales;
SELECT sold, count(*) FROM sales GROUP BY sold ORDER BY sold NULLS LAST;
SELECT extract(day FROM sold) AS d, sum(qty) FROM sales GROUP BY d ORDER BY d NULLS LAST;
SELECT qty % 2 AS parity, count(*) FROM sales GROUP BY qty % 2 ORDER BY parity NULLS LAST;
SELECT region IS NULL AS unknown, count(*) FROM sales GROUP BY region IS NULL ORDER BY 1;
SELECT product, max(price) - min(price) AS spread FROM sales GROUP BY product ORDER BY product;
SELECT round(avg(price), 3) FROM sales;
SELECT avg(x) FROM (VALUES (1), (2), (2)) v(x);
SELECT avg(x::float8), sum(x::float8) FROM (VALUES (1), (2), (4)) v(x);
SELECT sum(x), avg(x) FROM (VALUES (1::bigint), (9223372036854775807)) v(x);
SELECT sum(x) FROM (VALUES (2147483647), (1)) v(x);
SELECT pg_typeof(sum(1::int2)), pg_typeof(sum(1::int4)), pg_typeof(sum(1::int8)), pg_typeof(sum(1.0::float4)), pg_typeof(avg(1::int4));
SELECT pg_typeof(count(*)), pg_typeof(min(1::int2)), pg_typeof(max('a'::text));
SELECT min(sold), max(sold) FROM sales;
SELECT min(region), max(region) FROM sales;
SELECT stddev_samp(qty)::numeric(10,6), var_samp(qty)::numeric(10,6), stddev_pop(qty)::numeric(10,6), var_pop(qty)::numeric(10,6) FROM sales;
SELECT region, product, count(*) FROM sales GROUP BY ROLLUP (region, product) ORDER BY region NULLS LAST, product NULLS LAST;
SELECT region, count(*) FROM sales GROUP BY CUBE (region) ORDER BY region NULLS LAST;
SELECT region, product, sum(qty) FROM sales GROUP BY GROUPING SETS ((region), (product), ()) ORDER BY region NULLS LAST, product NULLS LAST, 3;
SELECT count(*) FROM (SELECT region FROM sales GROUP BY region) s;
SELECT s.region, s.n FROM (SELECT region, count(*) n FROM sales GROUP BY region) s WHERE s.n > 1 ORDER BY s.region;
SELECT max(qty) FROM sales GROUP BY region HAVING region = 'west';
SELECT json_agg(id ORDER BY id) FROM sales WHERE region = 'west';
SELECT jsonb_object_agg(product, qty) FROM sales WHERE region = 'east' AND id < 3;
-- error 42803
SELECT region, qty FROM sales GROUP BY region;
-- error 42803
SELECT qty, count(*) FROM sales;
-- error 42803
SELECT * FROM sales WHERE sum(qty) > 1;
-- error 42803
SELECT sum(sum(qty)) FROM sales;
-- error 42883
SELECT sum(product) FROM sales;
-- error 42P10
SELECT DISTINCT ON (region) region, product FROM sales ORDER BY product;
-- error 42P10
SELECT region FROM sales GROUP BY 5;
-- error 22003
SELECT sum(x) FROM (VALUES (9223372036854775807::numeric)) v(x) WHERE x::int8 + 1 > 0;
SELECT count(*) FILTER (WHERE region = 'east'), count(*) FILTER (WHERE region = 'west') FROM sales;
SELECT product FROM sales GROUP BY product HAVING bool_and(price IS NOT NULL) ORDER BY product;
-- ROLLUP, CUBE, GROUPING SETS and GROUPING(): ties between a subtotal and a real NULL ordered by GROUPING
SELECT region, product, sum(qty), count(*), GROUPING(region, product), GROUPING(product) FROM sales GROUP BY ROLLUP (region, product) ORDER BY 5, region NULLS LAST, product NULLS LAST;
SELECT region, product, sum(qty), GROUPING(region, product) g FROM sales GROUP BY CUBE (region, product) ORDER BY g, region NULLS LAST, product NULLS LAST;
SELECT region, product, sum(qty) FROM sales GROUP BY region, ROLLUP (product) ORDER BY GROUPING(product), 1 NULLS LAST, 2 NULLS LAST;
SELECT region, sum(qty) FROM sales GROUP BY GROUPING SETS (region, ()) HAVING sum(qty) > 5 ORDER BY GROUPING(region), 1 NULLS LAST;
SELECT count(*) FROM sales WHERE false GROUP BY GROUPING SETS ((), region);
SELECT count(*) FROM sales WHERE false GROUP BY ();
SELECT count(*) FROM sales GROUP BY ();
SELECT region, GROUPING(region) FROM sales GROUP BY region ORDER BY 1;
SELECT region, product, sum(qty), rank() OVER (PARTITION BY GROUPING(region, product) ORDER BY sum(qty) DESC, region, product) FROM sales GROUP BY ROLLUP (region, product) ORDER BY GROUPING(region, product), 4;
SELECT upper(region), sum(qty) FROM sales GROUP BY ROLLUP (upper(region)) ORDER BY GROUPING(upper(region)), 1;
SELECT region, sum(qty) FROM sales GROUP BY ROLLUP (1) ORDER BY GROUPING(region), 1;
-- error 42803
SELECT id FROM sales WHERE GROUPING(id) = 0;
-- error 42803
SELECT GROUPING(qty) FROM sales GROUP BY region;
-- error 42803
SELECT region, product FROM sales GROUP BY ROLLUP (region);
