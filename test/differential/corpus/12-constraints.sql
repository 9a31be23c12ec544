-- Constraints: PRIMARY KEY, UNIQUE, NOT NULL, CHECK, DEFAULT, FOREIGN KEY with actions, and their errors.
CREATE TABLE pk1 (id int PRIMARY KEY, v text);
INSERT INTO pk1 VALUES (1, 'a'), (2, 'b');
-- error 23505
INSERT INTO pk1 VALUES (1, 'again');
-- error 23502
INSERT INTO pk1 VALUES (NULL, 'null pk');
-- error 23505
UPDATE pk1 SET id = 2 WHERE id = 1;
UPDATE pk1 SET id = id + 10;
SELECT id, v FROM pk1 ORDER BY id;
CREATE TABLE pk2 (a int, b text, c int, PRIMARY KEY (a, b));
INSERT INTO pk2 VALUES (1, 'x', 0), (1, 'y', 0), (2, 'x', 0);
-- error 23505
INSERT INTO pk2 VALUES (1, 'x', 9);
-- error 23502
INSERT INTO pk2 VALUES (3, NULL, 0);
-- error 42P16
CREATE TABLE twopk (a int PRIMARY KEY, b int PRIMARY KEY);
CREATE TABLE uq (id int, email text UNIQUE, code text, CONSTRAINT uq_code UNIQUE (code));
INSERT INTO uq VALUES (1, 'a@x', 'c1'), (2, 'b@x', 'c2'), (3, NULL, NULL), (4, NULL, NULL);
-- error 23505
INSERT INTO uq VALUES (5, 'a@x', 'c5');
-- error 23505
INSERT INTO uq VALUES (5, 'e@x', 'c1');
-- error 23505
UPDATE uq SET email = 'a@x' WHERE id = 2;
SELECT count(*) FROM uq;
CREATE TABLE ck (id int, price numeric CHECK (price > 0), lo int, hi int, CONSTRAINT lo_le_hi CHECK (lo <= hi));
INSERT INTO ck VALUES (1, 10, 1, 2), (2, NULL, NULL, 5);
-- error 23514
INSERT INTO ck VALUES (3, 0, 1, 2);
-- error 23514
INSERT INTO ck VALUES (3, 1, 5, 2);
-- error 23514
UPDATE ck SET lo = 100 WHERE id = 1;
SELECT id, price, lo, hi FROM ck ORDER BY id;
ALTER TABLE ck ADD CONSTRAINT id_pos CHECK (id > 0);
-- error 23514
INSERT INTO ck VALUES (-1, 1, 1, 1);
-- error 23514
ALTER TABLE ck ADD CONSTRAINT id_small CHECK (id < 2);
ALTER TABLE ck DROP CONSTRAINT id_pos;
INSERT INTO ck VALUES (-1, 1, 1, 1);
CREATE TABLE nn (a int NOT NULL, b text NOT NULL DEFAULT 'dflt', c int DEFAULT 2 + 3, d timestamp DEFAULT '2024-01-01');
INSERT INTO nn (a) VALUES (1);
SELECT * FROM nn;
-- error 23502
INSERT INTO nn (b) VALUES ('x');
-- error 23502
INSERT INTO nn VALUES (2, NULL);
INSERT INTO nn VALUES (3, DEFAULT, DEFAULT, DEFAULT), (4, 'given', NULL, NULL);
SELECT * FROM nn ORDER BY a;
CREATE TABLE parent (id int PRIMARY KEY, name text);
CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent (id), note text);
INSERT INTO parent VALUES (1, 'p1'), (2, 'p2'), (3, 'p3');
INSERT INTO child VALUES (10, 1, 'c10'), (11, 1, 'c11'), (12, 2, 'c12'), (13, NULL, 'orphan ok');
-- error 23503
INSERT INTO child VALUES (14, 99, 'bad parent');
-- error 23503
UPDATE child SET parent_id = 42 WHERE id = 10;
-- error 23503
DELETE FROM parent WHERE id = 1;
-- error 23503
UPDATE parent SET id = 100 WHERE id = 2;
DELETE FROM parent WHERE id = 3;
UPDATE parent SET name = 'renamed' WHERE id = 1;
-- error 0A000
TRUNCATE parent;
SELECT p.name, count(c.id) FROM parent p LEFT JOIN child c ON c.parent_id = p.id GROUP BY p.name ORDER BY p.name;
CREATE TABLE cp (id int PRIMARY KEY);
CREATE TABLE cc (id int PRIMARY KEY, cp_id int REFERENCES cp ON DELETE CASCADE ON UPDATE CASCADE);
INSERT INTO cp VALUES (1), (2);
INSERT INTO cc VALUES (100, 1), (101, 1), (102, 2);
DELETE FROM cp WHERE id = 1;
SELECT id, cp_id FROM cc ORDER BY id;
UPDATE cp SET id = 20 WHERE id = 2;
SELECT id, cp_id FROM cc ORDER BY id;
CREATE TABLE sn (id int PRIMARY KEY, cp_id int REFERENCES cp ON DELETE SET NULL);
INSERT INTO sn VALUES (1, 20);
DELETE FROM cp WHERE id = 20;
SELECT id, cp_id FROM sn;
SELECT count(*) FROM cc;
CREATE TABLE sd (id int PRIMARY KEY, cp_id int DEFAULT 0 REFERENCES cp ON DELETE SET DEFAULT);
INSERT INTO cp VALUES (0), (5);
INSERT INTO sd VALUES (1, 5);
DELETE FROM cp WHERE id = 5;
SELECT id, cp_id FROM sd;
-- error 23503
DELETE FROM cp WHERE id = 0;
CREATE TABLE rs (id int PRIMARY KEY, cp_id int REFERENCES cp ON DELETE RESTRICT);
INSERT INTO rs VALUES (1, 0);
-- error 23503
DELETE FROM cp WHERE id = 0;
CREATE TABLE mk_parent (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE mk_child (a int, b int, FOREIGN KEY (a, b) REFERENCES mk_parent (a, b));
INSERT INTO mk_parent VALUES (1, 1);
INSERT INTO mk_child VALUES (1, 1), (1, NULL), (NULL, 7);
-- error 23503
INSERT INTO mk_child VALUES (1, 2);
-- error 42830
CREATE TABLE badfk (x int REFERENCES nn (c));
-- error 42P01
CREATE TABLE badfk (x int REFERENCES nosuch (id));
-- error 42804
CREATE TABLE badfk (x text REFERENCES parent (id));
-- error 2BP01
DROP TABLE parent;
DROP TABLE parent CASCADE;
INSERT INTO child VALUES (20, 999, 'no fk anymore');
SELECT count(*) FROM child;
ALTER TABLE uq ADD PRIMARY KEY (id);
-- error 23505
INSERT INTO uq VALUES (1, 'z@x', 'cz');
CREATE UNIQUE INDEX uq_id_code ON uq (id, code);
CREATE INDEX uq_email_idx ON uq (email);
-- error 23505
CREATE UNIQUE INDEX dupe_idx ON pk2 (a);
ALTER TABLE nn ADD CONSTRAINT nn_a_key UNIQUE (a);
-- error 23505
INSERT INTO nn (a) VALUES (1);
