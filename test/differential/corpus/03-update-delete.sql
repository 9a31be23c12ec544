-- UPDATE (incl. FROM, RETURNING), DELETE (incl. USING, RETURNING), TRUNCATE.
CREATE TABLE acct (id int PRIMARY KEY, owner text, balance numeric(12,2), tier text);
INSERT INTO acct VALUES (1, 'ann', 100.00, 'gold'), (2, 'bob', 50.50, 'silver'), (3, 'cy', 0, 'bronze'), (4, 'di', 999.99, 'gold'), (5, 'ed', NULL, NULL);
UPDATE acct SET balance = balance + 10 WHERE id = 1;
SELECT balance FROM acct WHERE id = 1;
UPDATE acct SET balance = balance * 2 WHERE tier = 'gold';
SELECT id, balance FROM acct ORDER BY id;
UPDATE acct SET tier = 'none' WHERE tier IS NULL;
SELECT id, tier FROM acct ORDER BY id;
UPDATE acct SET balance = 0 WHERE id = 999;
UPDATE acct SET owner = upper(owner), balance = coalesce(balance, 0) RETURNING id, owner, balance;
UPDATE acct SET balance = balance - 1 WHERE balance > 100 RETURNING *;
UPDATE acct SET (owner, tier) = ('ZED', 'x') WHERE id = 5;
SELECT owner, tier FROM acct WHERE id = 5;
UPDATE acct a SET tier = 'vip' WHERE a.balance > 500;
SELECT id, tier FROM acct ORDER BY id;
-- error 42703
UPDATE acct SET nosuch = 1;
-- error 23505
UPDATE acct SET id = 1 WHERE id = 2;
CREATE TABLE nn (id int, v text NOT NULL);
INSERT INTO nn VALUES (1, 'x');
-- error 23502
UPDATE nn SET v = NULL;
-- error 22P02
UPDATE acct SET balance = 'abc' WHERE id = 1;
UPDATE acct SET id = id + 10;
SELECT id FROM acct ORDER BY id;
UPDATE acct SET id = id - 10;
CREATE TABLE adj (acct_id int, delta numeric);
INSERT INTO adj VALUES (1, 5), (2, -0.5), (3, 1000), (99, 1);
UPDATE acct SET balance = acct.balance + adj.delta FROM adj WHERE adj.acct_id = acct.id;
SELECT id, balance FROM acct ORDER BY id;
UPDATE acct a SET tier = 'adjusted' FROM adj d WHERE d.acct_id = a.id AND d.delta > 0 RETURNING a.id, a.tier, d.delta;
UPDATE acct SET balance = s.total FROM (SELECT acct_id, sum(delta) AS total FROM adj GROUP BY acct_id) s WHERE s.acct_id = acct.id AND acct.id = 3;
SELECT balance FROM acct WHERE id = 3;
UPDATE acct SET balance = (SELECT max(delta) FROM adj) WHERE id = 5;
SELECT balance FROM acct WHERE id = 5;
UPDATE acct SET tier = 'sub' WHERE id IN (SELECT acct_id FROM adj WHERE delta < 0);
SELECT id, tier FROM acct WHERE tier = 'sub';
DELETE FROM acct WHERE id = 999;
DELETE FROM acct WHERE id = 5 RETURNING id, owner;
SELECT count(*) FROM acct;
DELETE FROM acct USING adj WHERE adj.acct_id = acct.id AND adj.delta > 100 RETURNING acct.id;
SELECT id FROM acct ORDER BY id;
DELETE FROM acct a WHERE NOT EXISTS (SELECT 1 FROM adj WHERE adj.acct_id = a.id);
SELECT id FROM acct ORDER BY id;
DELETE FROM adj WHERE acct_id NOT IN (SELECT id FROM acct);
SELECT acct_id FROM adj ORDER BY acct_id;
DELETE FROM adj;
SELECT count(*) FROM adj;
INSERT INTO adj SELECT g, g FROM generate_series(1, 20) g;
DELETE FROM adj WHERE acct_id % 2 = 0 RETURNING acct_id;
SELECT count(*), sum(acct_id) FROM adj;
TRUNCATE adj;
SELECT count(*) FROM adj;
INSERT INTO adj VALUES (1, 1);
TRUNCATE TABLE adj, nn;
SELECT (SELECT count(*) FROM adj) AS a, (SELECT count(*) FROM nn) AS n;
-- error 42P01
TRUNCATE nosuch;
-- error 42P01
DELETE FROM nosuch;
-- error 42703
DELETE FROM acct WHERE nosuch = 1;
CREATE TABLE inv (sku text PRIMARY KEY, qty int CHECK (qty >= 0));
INSERT INTO inv VALUES ('a', 5), ('b', 0);
-- error 23514
UPDATE inv SET qty = qty - 1;
SELECT sku, qty FROM inv ORDER BY sku;
UPDATE inv SET qty = qty - 1 WHERE qty > 0;
SELECT sku, qty FROM inv ORDER BY sku;
UPDATE inv SET sku = sku || sku RETURNING sku;
UPDATE inv SET qty = DEFAULT;
SELECT sku, qty FROM inv ORDER BY sku;
UPDATE inv SET qty = CASE WHEN sku = 'aa' THEN 10 ELSE 20 END;
SELECT sku, qty FROM inv ORDER BY sku;
DELETE FROM inv RETURNING *;
SELECT count(*) FROM inv;
