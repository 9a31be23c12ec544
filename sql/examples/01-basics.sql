-- A tour of the SQL QuiverDB answers as PostgreSQL 15 does: tables with constraints, a
-- multi-row INSERT with RETURNING, ON CONFLICT, a join with aggregates, FILTER, GROUP BY and
-- HAVING, a CTE, a view, constraint errors, a transaction with a savepoint, and EXPLAIN of an
-- index scan. Run it with: psql -X -v ON_ERROR_STOP=1 -f sql/examples/01-basics.sql
-- (test/sql-examples.test.ts runs it on QuiverDB and on PostgreSQL and compares the output).

DROP TABLE IF EXISTS orders, customers CASCADE;

CREATE TABLE customers (
  id      serial PRIMARY KEY,
  email   text NOT NULL UNIQUE,
  country char(2) NOT NULL CHECK (country = upper(country)),
  joined  date NOT NULL DEFAULT '2024-01-01'
);

CREATE TABLE orders (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id int NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  amount      numeric(10, 2) NOT NULL CHECK (amount > 0),
  status      text NOT NULL DEFAULT 'new',
  placed_at   timestamptz NOT NULL
);
CREATE INDEX orders_customer_idx ON orders (customer_id, placed_at DESC);

INSERT INTO customers (email, country, joined) VALUES
  ('ada@example.com', 'GB', '2023-03-01'),
  ('linus@example.com', 'FI', '2023-07-15'),
  ('grace@example.com', 'US', '2024-02-29')
RETURNING id, email;

-- a duplicate email: nothing inserted, no error
INSERT INTO customers (email, country) VALUES ('ada@example.com', 'GB') ON CONFLICT (email) DO NOTHING;
-- an upsert
INSERT INTO customers (email, country) VALUES ('linus@example.com', 'US')
  ON CONFLICT (email) DO UPDATE SET country = EXCLUDED.country
RETURNING id, country;

INSERT INTO orders (customer_id, amount, status, placed_at) VALUES
  (1, 19.99, 'paid', '2024-05-01 10:00+00'),
  (1, 5.50, 'new', '2024-05-03 12:30+00'),
  (2, 120.00, 'paid', '2024-05-02 09:15+00'),
  (2, 80.25, 'refunded', '2024-05-04 18:45+00'),
  (3, 42.00, 'paid', '2024-05-05 08:00+00');

SELECT c.email, count(o.id) AS orders, sum(o.amount) FILTER (WHERE o.status = 'paid') AS paid,
       max(o.placed_at) AS last_order
FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.email
HAVING count(o.id) > 0
ORDER BY paid DESC NULLS LAST, c.email;

WITH per_status AS (
  SELECT status, count(*) AS n, round(avg(amount), 2) AS avg_amount FROM orders GROUP BY status
)
SELECT status, n, avg_amount FROM per_status ORDER BY n DESC, status;

CREATE VIEW big_spenders AS
  SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id HAVING sum(amount) > 40;
SELECT c.email, b.total FROM big_spenders b JOIN customers c ON c.id = b.customer_id ORDER BY b.total DESC;

-- constraint violations, as PostgreSQL reports them
\set ON_ERROR_STOP 0
INSERT INTO orders (customer_id, amount, placed_at) VALUES (99, 1, now());
INSERT INTO customers (email, country) VALUES ('x@example.com', 'gb');
UPDATE orders SET amount = -1 WHERE id = 1;
\set ON_ERROR_STOP 1

BEGIN;
UPDATE orders SET status = 'paid' WHERE status = 'new';
SAVEPOINT before_delete;
DELETE FROM customers WHERE email = 'grace@example.com';
SELECT count(*) AS orders_left FROM orders;
ROLLBACK TO SAVEPOINT before_delete;
COMMIT;
SELECT status, count(*) FROM orders GROUP BY status ORDER BY status;

EXPLAIN (COSTS OFF) SELECT * FROM orders WHERE customer_id = 2 ORDER BY placed_at DESC LIMIT 1;
SELECT id, amount FROM orders WHERE customer_id = 2 ORDER BY placed_at DESC LIMIT 1;

DROP VIEW big_spenders;
DROP TABLE orders, customers;
