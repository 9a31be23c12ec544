-- INSERT: multi-row, column lists, defaults, INSERT SELECT, ON CONFLICT, RETURNING.
CREATE TABLE p (id int PRIMARY KEY, name text NOT NULL, qty int DEFAULT 0, note text);
INSERT INTO p VALUES (1, 'apple', 5, 'red');
INSERT INTO p (id, name) VALUES (2, 'banana');
INSERT INTO p (name, id, qty) VALUES ('cherry', 3, 7), ('date', 4, 9), ('elder', 5, NULL);
SELECT * FROM p ORDER BY id;
INSERT INTO p VALUES (6, 'fig', DEFAULT, DEFAULT);
SELECT qty, note FROM p WHERE id = 6;
INSERT INTO p (id, name) VALUES (7, 'grape') RETURNING *;
INSERT INTO p (id, name, qty) VALUES (8, 'honeydew', 3), (9, 'kiwi', 4) RETURNING id, qty * 10 AS tenfold;
INSERT INTO p (id, name) VALUES (10, 'lemon') RETURNING name || '!' AS shout, id;
-- error 23505
INSERT INTO p VALUES (1, 'dup');
-- error 23502
INSERT INTO p (id) VALUES (11);
-- error 42601
INSERT INTO p (id, name) VALUES (12);
-- error 42601
INSERT INTO p (id) VALUES (12, 'x');
-- error 42703
INSERT INTO p (id, nosuch) VALUES (12, 1);
-- error 22P02
INSERT INTO p (id, name) VALUES ('abc', 'x');
INSERT INTO p (id, name) VALUES ('12', 'mango');
SELECT id, name FROM p WHERE id = 12;
INSERT INTO p VALUES (1, 'apple2') ON CONFLICT DO NOTHING;
INSERT INTO p VALUES (1, 'apple2') ON CONFLICT (id) DO NOTHING RETURNING id;
SELECT name FROM p WHERE id = 1;
INSERT INTO p VALUES (1, 'apple3', 100) ON CONFLICT (id) DO UPDATE SET name = excluded.name, qty = p.qty + excluded.qty;
SELECT id, name, qty FROM p WHERE id = 1;
INSERT INTO p VALUES (1, 'apple4', 1), (13, 'nectarine', 2) ON CONFLICT (id) DO UPDATE SET qty = excluded.qty RETURNING id, name, qty;
INSERT INTO p VALUES (2, 'banana2', 50) ON CONFLICT (id) DO UPDATE SET qty = excluded.qty WHERE p.qty > 100;
SELECT name, qty FROM p WHERE id = 2;
INSERT INTO p VALUES (2, 'banana3', 60) ON CONFLICT (id) DO UPDATE SET qty = excluded.qty WHERE p.qty = 0 RETURNING *;
-- error 42P10
INSERT INTO p VALUES (3, 'x') ON CONFLICT (name) DO NOTHING;
-- error 21000
INSERT INTO p VALUES (20, 'a'), (20, 'b') ON CONFLICT (id) DO UPDATE SET name = excluded.name;
INSERT INTO p VALUES (21, 'a'), (21, 'b') ON CONFLICT (id) DO NOTHING;
SELECT name FROM p WHERE id = 21;
CREATE TABLE p_copy (id int, name text, qty int);
INSERT INTO p_copy SELECT id, name, qty FROM p WHERE id <= 5;
SELECT * FROM p_copy ORDER BY id;
INSERT INTO p_copy (id, name) SELECT id + 100, upper(name) FROM p WHERE id BETWEEN 6 AND 8 RETURNING id, name;
INSERT INTO p_copy SELECT * FROM p_copy WHERE id < 3;
SELECT id, count(*) FROM p_copy GROUP BY id HAVING count(*) > 1 ORDER BY id;
INSERT INTO p_copy (id) SELECT g FROM generate_series(200, 204) g;
SELECT count(*), min(id), max(id) FROM p_copy WHERE id >= 200;
INSERT INTO p_copy VALUES (300, 'x', 1), (301, NULL, NULL);
SELECT * FROM p_copy WHERE id >= 300 ORDER BY id;
INSERT INTO p_copy (qty, id) VALUES (1.6, 302);
SELECT qty FROM p_copy WHERE id = 302;
INSERT INTO p_copy (qty, id) VALUES ('7', 303);
-- error 22003
INSERT INTO p_copy (qty, id) VALUES (3000000000, 304);
WITH src AS (SELECT 400 AS id, 'cte' AS name) INSERT INTO p_copy (id, name) SELECT id, name FROM src RETURNING *;
INSERT INTO p_copy DEFAULT VALUES;
SELECT count(*) FROM p_copy WHERE id IS NULL;
CREATE TABLE u2 (a int, b int, c text, UNIQUE (a, b));
INSERT INTO u2 VALUES (1, 1, 'x'), (1, 2, 'y');
-- error 23505
INSERT INTO u2 VALUES (1, 1, 'z');
INSERT INTO u2 VALUES (1, 1, 'z') ON CONFLICT (a, b) DO UPDATE SET c = u2.c || excluded.c;
SELECT * FROM u2 ORDER BY a, b;
INSERT INTO u2 VALUES (NULL, 1, 'n1'), (NULL, 1, 'n2');
SELECT count(*) FROM u2 WHERE a IS NULL;
INSERT INTO u2 AS t VALUES (1, 2, 'w') ON CONFLICT (a, b) DO UPDATE SET c = t.c || '+' || excluded.c RETURNING a, b, c;
-- error 42703
INSERT INTO p VALUES (30, 'x') RETURNING nosuch;
INSERT INTO p (id, name) VALUES (31, 'o''brien') RETURNING name;
INSERT INTO p (id, name) VALUES (32, E'tab\there') RETURNING length(name);
SELECT count(*) FROM p;
