-- json and jsonb: operators (-> ->> #> #>> @> <@ ? ?| ?& || - #-), functions, aggregates, errors.
CREATE TABLE docs (id int PRIMARY KEY, meta jsonb, raw json);
INSERT INTO docs VALUES (1, '{"cat": "a", "n": 1, "tags": ["x", "y"], "nested": {"k": [1, 2, {"z": null}]}}', '{"cat" :  "a", "n": 1.50, "arr": [1,  2]}'),
 (2, '{"cat": "b", "n": 2, "tags": ["y"]}', '[1, "two", null, {"a": 3}]'),
 (3, '{"cat": "a", "n": null}', '"scalar"'), (4, '[1, 2, "x"]', 'null'), (5, '"str"', '{"a":1,"a":2}');
SELECT id, meta->'cat', meta->>'cat', meta->'tags'->0, meta->'tags'->>-1, meta#>'{nested,k,2}', meta#>>'{nested,k,1}', meta->'n', meta->>'n' FROM docs ORDER BY id;
SELECT id, raw->'cat', raw->>'cat', raw->'arr', raw->1, raw->>1, raw->-1, raw#>'{3,a}', raw#>>'{arr,1}', raw->'a' FROM docs ORDER BY id;
SELECT id FROM docs WHERE meta->>'cat' = 'a' ORDER BY id;
SELECT id, meta @> '{"cat": "a"}', meta @> '{"tags": ["y"]}', meta <@ '{"cat": "b", "n": 2, "tags": ["y", "z"]}', meta ? 'tags', meta ?| ARRAY['n', 'q'], meta ?& ARRAY['cat', 'n'] FROM docs ORDER BY id;
SELECT '[1, 2, [3]]'::jsonb @> '[[3]]', '[1,2]'::jsonb @> '1', '{"a":[1,2]}'::jsonb @> '{"a":1}', '"a"'::jsonb @> '"a"', '["a"]'::jsonb ? 'a', '"a"'::jsonb ? 'a';
SELECT '{"a":1}'::jsonb || '{"b":2, "a":3}', '[1]'::jsonb || '[2,3]', '[1]'::jsonb || '4', '{"a":1}'::jsonb || '[1]', '1'::jsonb || '2';
SELECT '{"a":1,"b":2}'::jsonb - 'a', '["a","b","a"]'::jsonb - 'a', '[1,2,3]'::jsonb - 1, '[1,2,3]'::jsonb - -1, '{"a":1,"b":2,"c":3}'::jsonb - ARRAY['a','c'], '{"a":{"b":1,"c":2}}'::jsonb #- '{a,b}';
SELECT jsonb_set('{"a":{"b":1}}', '{a,b}', '5'), jsonb_set('{"a":{"b":1}}', '{a,c}', '[1]'), jsonb_set('{"a":{"b":1}}', '{a,c}', '[1]', false), jsonb_set('[1,2]', '{5}', '9'), jsonb_set('[1,2]', '{-9}', '9');
SELECT jsonb_typeof(meta), json_typeof(raw) FROM docs ORDER BY id;
SELECT jsonb_array_length('[1,2,3]'), json_array_length('[1, [2], 3]');
SELECT jsonb_object_keys('{"b":1, "a":2, "aa": 3}');
SELECT json_object_keys('{"b":1, "a":2}');
SELECT jsonb_array_elements('[1, "a", {"b": null}]');
SELECT jsonb_array_elements_text('[1, "a", {"b": null}, null]');
SELECT json_array_elements('[1,  "a", {"b" : null}]');
SELECT * FROM jsonb_array_elements_text('["x","y"]') AS t(v);
SELECT jsonb_extract_path('{"a":{"b":[10,20]}}', 'a', 'b', '1'), jsonb_extract_path_text('{"a":{"b":[10,20]}}', 'a', 'b', '0'), json_extract_path_text('{"a":{"b":"x"}}', 'a', 'b');
SELECT jsonb_build_object('a', 1, 'b', 'two', 'c', NULL, 'd', ARRAY[1,2], 'e', true, 'f', 1.50, 'g', '{"x":1}'::jsonb), json_build_object('a', 1, 'b', 'x'), jsonb_build_array(1, 'a', NULL), json_build_array(1, 'a', NULL), jsonb_build_object(), json_build_array();
SELECT to_jsonb(1), to_jsonb('x'::text), to_jsonb(ARRAY[[1,2],[3,4]]), to_jsonb('2024-01-02'::date), to_jsonb('2024-01-02 10:00:00'::timestamp), to_json('a"b'::text), to_json(ARRAY['a', NULL]), to_jsonb(true), to_jsonb('NaN'::float8), to_jsonb(1.5::float8);
SELECT jsonb_agg(id ORDER BY id), json_agg(id ORDER BY id), jsonb_object_agg(id, meta->'cat'), json_object_agg(id, id * 2) FROM docs;
SELECT jsonb_agg(meta ORDER BY id) FROM docs WHERE id < 3;
SELECT jsonb_strip_nulls('{"a":1,"b":null,"c":[null,{"d":null}]}'), jsonb_pretty('{"a":1,"b":[1,2],"c":{}}');
SELECT '{"a":1}'::jsonb < '{"a":2}', '[1]'::jsonb > '{"a":1}', '1'::jsonb <= '"a"';
SELECT meta->>'cat' AS cat, count(*) FROM docs GROUP BY meta->>'cat' ORDER BY 1;
-- error 22023
SELECT jsonb_array_length('{"a":1}');
-- error 22023
SELECT jsonb_array_length('1');
-- error 22023
SELECT jsonb_object_keys('[1]');
-- error 22023
SELECT jsonb_array_elements('{"a":1}');
-- error 22023
SELECT '1'::jsonb - 'a';
-- error 22023
SELECT '{"a":1}'::jsonb - 0;
-- error 22023
SELECT jsonb_set('1', '{a}', '1');
-- error 22023
SELECT jsonb_build_object('a');
-- error 22023
SELECT jsonb_build_object(NULL, 1);
SELECT '{"a":1}'::jsonb #- '{a,b}';
-- error 22P02
SELECT '[1,2]'::jsonb #- '{x}';
-- error 22023
SELECT json_array_length('{"a":1}');
SELECT '{"a": 1}'::json ->> 'a', '{"a": "x\ny"}'::json ->> 'a', '{"a": {"b" : 1}}'::json ->> 'a';
SELECT meta->'missing' IS NULL, meta->>'n' IS NULL FROM docs WHERE id = 3;
SELECT jsonb_pretty('{}'), jsonb_pretty('[]'), jsonb_pretty('{"a":[]}'), jsonb_pretty('[{}]');
SELECT jsonb_set('{"a":1}', '{a,b}', '2');
-- error 22023
SELECT '{"a":1}'::jsonb - 0;
-- error 22P02
SELECT jsonb_set('{"a":[1]}', '{a,x}', '2');
SELECT json_build_object('g', '{"x":  1}'::json, 'h', ARRAY[1,2]), to_json(ARRAY[[1,2],[3,4]]), json_build_array(ARRAY[1,2]), json_agg(ARRAY[1,2]);
-- the simple-query cache keys on the literals' types: 0 is an integer here, '0' a key above
SELECT '{"a":1,"0":2}'::jsonb - '0';
SELECT '[5,6]'::jsonb - 0;
SELECT id FROM docs WHERE meta @> '{"tags": ["x"]}' OR meta ? 'n' ORDER BY id;
SELECT id, meta->'nested'->'k'->2->'z', meta->'nested'->'k'->>2 FROM docs WHERE jsonb_typeof(meta) = 'object' ORDER BY id;
-- error 22004
SELECT jsonb_set('{"a":1}', '{a,NULL}', '2');
SELECT ('{"a":[1,{"b":2}]}'::jsonb)['a'][1]['b'], ('[1,2]'::jsonb)[-1], ('{"1":5}'::jsonb)['1'::text], meta['cat'], meta['tags'][0] FROM docs WHERE id = 1;
SELECT id FROM docs WHERE meta['cat'] = '"a"' ORDER BY id;
-- error 42804
SELECT ('{"a":1}'::jsonb)['a':'b'];
-- error 42804
SELECT ('{"a":1}'::jsonb)[1.5];
SELECT key, value FROM jsonb_each('{"b": 2, "a": "x", "c": null}') ORDER BY key;
SELECT * FROM jsonb_each_text('{"b": 2, "a": "x", "c": null}') ORDER BY 1;
SELECT k, v FROM json_each('{"b" : [1,  2], "a": "x"}') AS t(k, v) ORDER BY k;
SELECT * FROM json_each_text('{"b": 2, "a": "x", "n": null}') WITH ORDINALITY ORDER BY ordinality;
SELECT d.id, e.key, e.value FROM docs d, jsonb_each(d.meta) e WHERE jsonb_typeof(d.meta) = 'object' ORDER BY d.id, e.key;
SELECT key, count(*) FROM docs, jsonb_each_text(meta) WHERE jsonb_typeof(meta) = 'object' GROUP BY key ORDER BY key;
-- error 22023
SELECT * FROM jsonb_each('[1]');
-- error 22023
SELECT * FROM json_each('"s"');
-- row values: whole-row references and ROW() into json, text, DISTINCT
CREATE TABLE rt (id int PRIMARY KEY, name text, score numeric, tags text[], meta jsonb);
INSERT INTO rt VALUES (1, 'a', 1.5, '{x,y}', '{"k": 1}'), (2, 'b c', NULL, NULL, NULL), (3, '', 2, '{}', '[1]'), (4, 'q"uo\te', 3, '{"a b"}', '"s"');
SELECT row_to_json(rt) FROM rt ORDER BY id;
SELECT to_jsonb(rt) FROM rt ORDER BY id;
SELECT to_json(t) FROM (SELECT id, name FROM rt) t ORDER BY t.id;
SELECT json_agg(t ORDER BY t.id) FROM (SELECT id, name FROM rt WHERE id < 3) t;
SELECT jsonb_agg(rt ORDER BY id) FROM rt WHERE id > 2;
SELECT row_to_json(ROW(1, 'a', NULL)), to_jsonb(ROW(1, 'x')), row_to_json(ROW());
SELECT rt::text FROM rt ORDER BY id;
SELECT ROW(1, 'a b', NULL, '', 'x,y')::text;
SELECT count(DISTINCT (id % 2, name IS NULL)) FROM rt;
SELECT count(DISTINCT (name, score)) FROM rt;
SELECT json_build_object('row', rt, 'n', 1) FROM rt WHERE id = 1;
SELECT (SELECT json_agg(x) FROM (SELECT id FROM rt r2 WHERE r2.id <= rt.id ORDER BY id) x) FROM rt ORDER BY id;
SELECT json_agg(ARRAY[id, id]) FROM rt;
SELECT jsonb_each('{"a": 1, "b": "x y"}');
SELECT jsonb_each_text('{"a": 1, "b": null}'), 5 AS n;
SELECT count(*) FROM (SELECT jsonb_each('{"a": 1, "b": 2}')) s;
