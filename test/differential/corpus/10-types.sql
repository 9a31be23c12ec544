-- Types: literals, I/O formats, casts and typed columns for bool, int2/4/8, float4/8, numeric, text,
-- varchar(n), char(n), bytea, date, time, timestamp, timestamptz, interval, uuid, json, jsonb, arrays.
SELECT true, false, 't'::bool, 'yes'::bool, 'off'::bool, '1'::boolean, ' TRUE '::bool;
SELECT true::text, false::int, 1::bool, 0::bool, 'f'::bool::int;
SELECT 1::int2, 32767::int2, (-32768)::int2, 2147483647::int4, 9223372036854775807::int8, (-9223372036854775808)::int8;
SELECT pg_typeof(1), pg_typeof(2147483648), pg_typeof(9223372036854775808), pg_typeof(1.5), pg_typeof('x'), pg_typeof(1e3);
SELECT '  42  '::int, '+7'::int4, '-0'::int8, 3.7::int, 2.5::int, 3.5::int, (-2.5)::int, 2.5::float8::int;
SELECT 1.5::float4, 0.1::float4, 1.0::float8 / 3, 1e-300::float8, 'inf'::float8, '-Infinity'::float4, 'nan'::float8;
SELECT 100::float4 / 3, 16777217::float4, 3.4e38::float4, 1.17549435e-38::float4;
SELECT 1.50::numeric, 1.5::numeric(5,2), 123.456::numeric(5,1), 0.000::numeric, -0.5::numeric(3,0), 1e5::numeric;
SELECT '1e-3'::numeric, ' 12.5 '::numeric, 'NaN'::numeric, 1.0::numeric(3,1) * 2;
SELECT 'abc'::text, 'abc'::varchar(2), 'ab'::char(4) || '|', 'ab'::char(4)::text || '|', length('ab '::char(4)), 'ab'::char(4) = 'ab  '::char(4);
SELECT 'a'::varchar, ''::text IS NULL, 'x'::name, 'héllo'::text;
CREATE TABLE tv (v varchar(3), c char(3), t text);
INSERT INTO tv VALUES ('ab', 'ab', 'ab');
-- error 22001
INSERT INTO tv (v) VALUES ('abcd');
INSERT INTO tv (v) VALUES ('abc   ');
-- error 22001
INSERT INTO tv (c) VALUES ('abcd');
SELECT v, c, t, length(c), octet_length(c), c || 'x' FROM tv ORDER BY v;
SELECT '\x0102ff'::bytea, 'abc'::bytea, E'\\001'::bytea, length('\x0102'::bytea), octet_length('abc'::bytea);
SELECT '\xdeadbeef'::bytea || '\x00'::bytea, substring('\x01020304'::bytea FROM 2 FOR 2), get_byte('\x0a0b'::bytea, 1);
SELECT '2024-02-29'::date, date '1999-12-31' + 1, '2024-03-01'::date - '2024-02-01'::date, '2024-01-31'::date + interval '1 month';
SELECT '2024-1-5'::date, 'Jan 5 2024'::date, '20240105'::date, '4713-01-01 BC'::date, 'infinity'::date;
SELECT '12:34:56'::time, '12:34:56.789'::time, time '23:59:59' + interval '2 seconds', '1:2'::time;
SELECT '2024-01-02 03:04:05'::timestamp, '2024-01-02 03:04:05.123456'::timestamp, '2024-01-02T03:04:05'::timestamp, timestamp '2024-01-02';
SELECT '2024-01-02 03:04:05+02'::timestamptz, '2024-06-01 12:00:00 UTC'::timestamptz, '2024-01-02 03:04:05'::timestamptz;
SELECT '2024-01-02 03:04:05-05:30'::timestamptz::timestamp, '2024-01-02 03:04:05'::timestamp::timestamptz;
SELECT '2024-01-02 03:04:05'::timestamp::date, '2024-01-02'::date::timestamp, '2024-01-02 03:04:05'::timestamp::time;
SELECT timestamp '2024-01-31 10:00' + interval '1 month', timestamp '2024-03-01' - timestamp '2024-02-01 12:00';
SELECT extract(year FROM timestamp '2024-05-06 07:08:09'), extract(month FROM date '2024-05-06'), extract(dow FROM date '2024-05-06'), extract(epoch FROM timestamp '1970-01-02');
SELECT date_part('hour', timestamp '2024-05-06 07:08:09'), date_trunc('month', timestamp '2024-05-06 07:08:09'), date_trunc('hour', timestamptz '2024-05-06 07:08:09+00');
SELECT '1 day'::interval, '1 year 2 months 3 days 04:05:06'::interval, '90 minutes'::interval, interval '1.5 hours', '-1 day 2 hours'::interval;
SELECT interval '1 day' * 3, interval '1 hour' / 2, interval '1 day' + interval '1 hour', '2 days'::interval - '1 day 1 hour'::interval, -interval '1 week';
SELECT interval '25 hours' = interval '1 day 1 hour', interval '30 days' = interval '1 month', justify_hours(interval '25 hours'), justify_days(interval '35 days');
SELECT '@ 1 minute'::interval, 'P1Y2M3DT4H5M6S'::interval, '1:30:00'::interval;
SELECT make_date(2024, 2, 29), make_time(1, 2, 3.5), make_interval(days => 10), to_timestamp(0), age(timestamp '2024-03-01', timestamp '2023-01-15');
SELECT to_char(timestamp '2024-05-06 07:08:09', 'YYYY-MM-DD HH24:MI:SS'), to_char(date '2024-05-06', 'Dy DD Mon YYYY'), to_date('06/05/2024', 'DD/MM/YYYY');
SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, 'A0EEBC999C0B4EF8BB6D6BB9BD380A11'::uuid, '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'::uuid;
SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid::text;
SELECT '{"a": 1, "b": [1, 2]}'::json, '{"b": 1, "a": 2, "a": 3}'::jsonb, '[1, "x", null, true, 1.50]'::jsonb;
SELECT '{"a": {"b": 5}}'::jsonb -> 'a', '{"a": {"b": 5}}'::jsonb -> 'a' ->> 'b', '[10, 20]'::jsonb -> 1, '{"a": 1}'::json ->> 'a';
SELECT '{"a": {"b": [1, 2]}}'::jsonb #> '{a,b}', '{"a": {"b": [1, 2]}}'::jsonb #>> '{a,b,0}', '{"a": 1}'::jsonb -> 'nope';
SELECT '{"a": 1, "b": 2}'::jsonb @> '{"a": 1}', '{"a": 1}'::jsonb <@ '{"a": 1, "b": 2}', '{"a": 1}'::jsonb ? 'a', '{"a": 1}'::jsonb ?| ARRAY['x', 'a'], '{"a": 1}'::jsonb ?& ARRAY['a', 'b'];
SELECT '{"a": 1}'::jsonb || '{"b": 2}', '{"a": 1, "b": 2}'::jsonb - 'a', '[1, 2, 3]'::jsonb - 0;
SELECT jsonb_typeof('1'), jsonb_typeof('"s"'), jsonb_typeof('[]'), jsonb_typeof('{}'), jsonb_typeof('null'), json_typeof('true');
SELECT jsonb_array_length('[1, 2, 3]'), jsonb_build_object('k', 1, 'l', 'two'), jsonb_build_array(1, 'a', NULL), json_build_object('x', true);
SELECT to_jsonb(1.5), to_jsonb('s'::text), to_json(ARRAY[1, 2]), row_to_json(ROW(1, 'a')), jsonb_pretty('{"a":1}');
SELECT key, value FROM jsonb_each('{"b": 2, "a": "x"}') ORDER BY key;
SELECT jsonb_object_keys('{"b": 2, "a": 1}');
SELECT value FROM jsonb_array_elements('[1, "two", {"three": 3}]');
SELECT jsonb_set('{"a": 1}', '{b}', '2'), '{"a":1}'::jsonb = '{ "a" : 1 }'::jsonb, '1.0'::jsonb = '1'::jsonb;
SELECT ARRAY[1, 2, 3], ARRAY['a', NULL, 'c'], '{1,2,3}'::int[], '{{1,2},{3,4}}'::int[], ARRAY[]::text[];
SELECT (ARRAY[10, 20, 30])[2], (ARRAY[10, 20, 30])[5], (ARRAY[10, 20, 30])[2:3], ('{{1,2},{3,4}}'::int[])[2][1];
SELECT array_length(ARRAY[1, 2, 3], 1), cardinality(ARRAY[[1, 2], [3, 4]]), array_upper(ARRAY[1, 2], 1), array_ndims('{{1}}'::int[]);
SELECT ARRAY[1, 2] || 3, 0 || ARRAY[1, 2], ARRAY[1] || ARRAY[2, 3], array_append(ARRAY[1], 2), array_prepend(0, ARRAY[1]), array_cat(ARRAY[1], ARRAY[2]);
SELECT array_position(ARRAY['a', 'b'], 'b'), array_remove(ARRAY[1, 2, 1], 1), array_replace(ARRAY[1, 2], 2, 9), ARRAY[1, 2] @> ARRAY[2], ARRAY[1] && ARRAY[2];
SELECT ARRAY[1, 2] = ARRAY[1, 2], ARRAY[1, 2] < ARRAY[1, 3], ARRAY[1, 2, 3] > ARRAY[1, 2];
SELECT '{"a b","c\"d",NULL,""}'::text[], ARRAY['x,y', 'NULL'], '{1.5,2}'::float8[], ARRAY[true, false];
CREATE TABLE typed (i2 int2, i4 int4, i8 int8, f4 float4, f8 float8, n numeric, nn numeric(6,2), b bool, t text, by bytea, d date, tm time, ts timestamp, tz timestamptz, iv interval, u uuid, j json, jb jsonb, ai int[], at text[]);
INSERT INTO typed VALUES (1, 2, 3, 4.5, 6.25, 7.125, 8.5, true, 't', '\x01', '2024-01-01', '01:02:03', '2024-01-01 01:02:03', '2024-01-01 01:02:03+00', '1 day', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"k": 1}', '{"k": 1}', '{1,2}', '{a,b}');
INSERT INTO typed (i4, nn, ai) VALUES ('5', 1.005, ARRAY[3]), (NULL, -999.999, NULL);
SELECT * FROM typed ORDER BY i4 NULLS LAST;
SELECT i2 + i4, i4 + i8, i2 * f4, f4 + f8, i4 + n, n * nn, pg_typeof(i2 + i4), pg_typeof(i4 + i8), pg_typeof(f4 + f8), pg_typeof(i4 + n) FROM typed WHERE i2 = 1;
SELECT CAST(42 AS text), CAST('42' AS int), 42::text::int + 1, '3.9'::numeric::int, 3.9::float8::int8, '5'::int2::float4;
SELECT 1::bool::text, 10::bit(4), 'abc'::bytea::text, 100::money::numeric;
SELECT '2024-01-02'::date::text, 1.5::float8::text, 1.5::numeric::float8, 255::int::text::bytea;
-- error 22P02
SELECT 'abc'::int;
-- error 22P02
SELECT '1.5'::int;
-- error 22003
SELECT 40000::int2;
-- error 22003
SELECT '99999999999'::int4;
-- error 22003
SELECT 1e400::float8;
-- error 22P02
SELECT 'maybe'::bool;
-- error 22008
SELECT '2024-02-30'::date;
-- error 22007
SELECT 'not a date'::date;
-- error 22008
SELECT '25:00:00'::time;
-- error 22007
SELECT 'tomorrowish'::timestamp;
-- error 22007
SELECT '1 fortnight'::interval;
-- error 22P02
SELECT 'a0eebc99-9c0b-4ef8-bb6d'::uuid;
-- error 22P02
SELECT '{"a": }'::json;
-- error 22P02
SELECT '{1,2'::int[];
-- error 22023
SELECT '\xzz'::bytea;
-- error 22003
SELECT 12345.678::numeric(5,2);
-- error 42846
SELECT '2024-01-01'::date::int;
-- error 42846
SELECT true::date;
-- error 22003
SELECT 'infinity'::float8::int;
-- a cast to a constrained type keeps its rounding or cutting when it feeds a function or operator
SELECT abs(x::numeric(5,2)), round(x::numeric(6,3), 4), x::numeric(5,1) + 0 FROM (VALUES (1.2345), (-2.71828)) v(x) ORDER BY 1;
SELECT greatest(x::numeric(5,1), 0), coalesce(x::numeric(5,2), 0), x::varchar(2) || 'z', length(x::text::char(3)) FROM (VALUES (1.2567)) v(x);
SELECT upper(s::varchar(3)), s::char(2) = 'ab' FROM (VALUES ('abcdef')) v(s);
-- regtype input by name, as SQL spells types
SELECT 'integer'::regtype, 'int4'::regtype, 'double precision'::regtype, 'character varying(10)'::regtype, 'varchar'::regtype;
SELECT 'timestamp(3) with time zone'::regtype, 'TIMESTAMP'::regtype, 'pg_catalog.int8'::regtype, '"char"'::regtype, 'char'::regtype, 'character(3)'::regtype;
SELECT 'int4[]'::regtype, '_int4'::regtype, 'text[][]'::regtype, 'bit varying'::regtype, 'numeric(10,2)'::regtype, 'boolean'::regtype, 'real'::regtype;
SELECT 'integer'::regtype::oid, '23'::regtype, 'bool'::regtype = 16;
SELECT typname FROM pg_type WHERE oid = 'text'::regtype;
-- error 42704
SELECT 'nosuchtype'::regtype;
-- error 42704
SELECT 'public.int4'::regtype;
-- error 0A000
SELECT 'a.b.c'::regtype;
-- regproc: the types' I/O procedures, and names read as regprocin reads them
SELECT typinput, typoutput, typreceive, typsend, typmodin, typmodout, typanalyze FROM pg_type WHERE oid IN (23, 1007, 1043, 1700, 1184, 1560, 16, 2950) ORDER BY oid;
SELECT typinput::oid, typmodin::oid FROM pg_type WHERE oid = 1043;
SELECT 'array_in'::regproc, 'pg_catalog.int4in'::regproc::oid, '-'::regproc::oid, 'int4in'::regproc = 42;
SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname FROM pg_catalog.pg_type WHERE oid IN (23, 1007) ORDER BY oid;
-- error 42883
SELECT 'nosuchfn'::regproc;
-- error 42725
SELECT 'abs'::regproc;
-- error 42883
SELECT 'public.lower'::regproc;
