-- Joins: inner, left, right, full, cross, natural, USING, self joins, lateral, join conditions with NULLs.
CREATE TABLE emp (id int PRIMARY KEY, name text, dept_id int, mgr_id int, salary int);
CREATE TABLE dept (id int PRIMARY KEY, dname text, loc text);
INSERT INTO dept VALUES (10, 'eng', 'sf'), (20, 'ops', 'ny'), (30, 'hr', 'sf'), (40, 'empty', NULL);
INSERT INTO emp VALUES (1, 'alice', 10, NULL, 200), (2, 'bob', 10, 1, 150), (3, 'carol', 20, 1, 120), (4, 'dan', 20, 3, 90), (5, 'eve', NULL, 1, 80), (6, 'frank', 99, 2, 70);
SELECT e.name, d.dname FROM emp e JOIN dept d ON e.dept_id = d.id ORDER BY e.name;
SELECT e.name, d.dname FROM emp e INNER JOIN dept d ON e.dept_id = d.id AND d.loc = 'sf' ORDER BY e.name;
SELECT e.name, d.dname FROM emp e LEFT JOIN dept d ON e.dept_id = d.id ORDER BY e.name;
SELECT e.name, d.dname FROM emp e LEFT OUTER JOIN dept d ON e.dept_id = d.id WHERE d.id IS NULL ORDER BY e.name;
SELECT e.name, d.dname FROM emp e RIGHT JOIN dept d ON e.dept_id = d.id ORDER BY d.dname, e.name;
SELECT e.name, d.dname FROM emp e FULL JOIN dept d ON e.dept_id = d.id ORDER BY d.dname NULLS FIRST, e.name NULLS FIRST;
SELECT e.name, d.dname FROM emp e FULL OUTER JOIN dept d ON e.dept_id = d.id WHERE e.id IS NULL OR d.id IS NULL;
SELECT count(*) FROM emp CROSS JOIN dept;
SELECT e.name, d.dname FROM emp e, dept d WHERE e.dept_id = d.id AND e.salary > 100;
SELECT e.name, m.name AS manager FROM emp e LEFT JOIN emp m ON e.mgr_id = m.id ORDER BY e.id;
SELECT e.name, m.name AS manager, mm.name AS grand FROM emp e JOIN emp m ON e.mgr_id = m.id JOIN emp mm ON m.mgr_id = mm.id ORDER BY e.id;
CREATE TABLE a (k int, va text);
CREATE TABLE b (k int, vb text);
INSERT INTO a VALUES (1, 'a1'), (2, 'a2'), (2, 'a2b'), (NULL, 'anull');
INSERT INTO b VALUES (2, 'b2'), (3, 'b3'), (NULL, 'bnull'), (2, 'b2b');
SELECT * FROM a JOIN b USING (k);
SELECT k, va, vb FROM a LEFT JOIN b USING (k);
SELECT k, va, vb FROM a FULL JOIN b USING (k);
SELECT * FROM a NATURAL JOIN b;
SELECT a.k, b.k FROM a JOIN b ON a.k = b.k;
SELECT a.va, b.vb FROM a JOIN b ON a.k IS NOT DISTINCT FROM b.k;
SELECT a.va, b.vb FROM a JOIN b ON a.k < b.k;
SELECT a.va, b.vb FROM a LEFT JOIN b ON a.k = b.k AND b.vb = 'b2';
SELECT a.va, b.vb FROM a LEFT JOIN b ON a.k = b.k WHERE b.vb = 'b2';
SELECT a.va, b.vb FROM a JOIN b ON true;
SELECT a.va FROM a JOIN b ON false;
SELECT a.va, b.vb FROM a LEFT JOIN b ON false;
SELECT d.dname, count(e.id) AS n FROM dept d LEFT JOIN emp e ON e.dept_id = d.id GROUP BY d.dname ORDER BY d.dname;
SELECT d.dname, sum(e.salary) FROM dept d JOIN emp e ON e.dept_id = d.id GROUP BY d.dname HAVING sum(e.salary) > 200;
SELECT e.name, x.total FROM emp e JOIN (SELECT dept_id, sum(salary) AS total FROM emp GROUP BY dept_id) x ON x.dept_id = e.dept_id ORDER BY e.name;
SELECT d.dname, t.name FROM dept d, LATERAL (SELECT name FROM emp WHERE emp.dept_id = d.id ORDER BY salary DESC LIMIT 1) t ORDER BY d.dname;
SELECT d.dname, t.name FROM dept d LEFT JOIN LATERAL (SELECT name FROM emp WHERE emp.dept_id = d.id ORDER BY salary LIMIT 1) t ON true ORDER BY d.dname;
SELECT e.name, g FROM emp e CROSS JOIN generate_series(1, 2) g WHERE e.id <= 2 ORDER BY e.name, g;
SELECT x.n, y.n FROM generate_series(1, 3) x(n) JOIN generate_series(2, 4) y(n) ON x.n = y.n;
SELECT * FROM (VALUES (1, 'one'), (2, 'two')) v(n, w) JOIN a ON a.k = v.n;
SELECT e1.name, e2.name FROM emp e1 JOIN emp e2 ON e1.dept_id = e2.dept_id AND e1.id < e2.id ORDER BY 1, 2;
SELECT e.name FROM emp e JOIN dept d ON d.id = e.dept_id JOIN emp m ON m.id = e.mgr_id WHERE d.loc = 'ny' ORDER BY 1;
SELECT a.va, b.vb FROM a FULL JOIN b ON a.k = b.k AND a.va = 'a2' ORDER BY a.va NULLS LAST, b.vb NULLS LAST;
SELECT a.va, b.vb FROM a RIGHT JOIN b ON a.k = b.k ORDER BY b.vb, a.va;
SELECT count(*) FROM a, b, dept;
SELECT a.k FROM a JOIN b ON a.k = b.k JOIN dept ON dept.id = a.k * 10;
-- error 42702
SELECT k FROM a JOIN b ON a.k = b.k;
-- error 42P01
SELECT * FROM a JOIN nosuch ON true;
-- error 42703
SELECT * FROM a JOIN b ON a.nosuch = b.k;
-- error 42601
SELECT * FROM a JOIN b;
-- error 42804
SELECT * FROM a JOIN b ON a.k;
-- error 42P01
SELECT * FROM a JOIN b ON c.k = a.k;
-- error 42712
SELECT * FROM a x JOIN b x ON true;
SELECT x.va FROM a x JOIN a y ON x.k = y.k AND x.va <> y.va ORDER BY 1;
SELECT emp.name FROM emp WHERE emp.dept_id IN (SELECT id FROM dept WHERE loc = 'sf') ORDER BY 1;
SELECT d.dname, e.name FROM dept d JOIN emp e ON e.dept_id = d.id AND e.salary = (SELECT max(salary) FROM emp e2 WHERE e2.dept_id = d.id) ORDER BY 1;
SELECT * FROM a JOIN b USING (k) ORDER BY va, vb;
SELECT a.*, b.vb FROM a LEFT JOIN b USING (k) ORDER BY a.va, b.vb;
SELECT count(*) FROM emp e1 JOIN emp e2 ON e1.salary > e2.salary;
