-- String and math functions.
SELECT length('hello'), char_length('héllo'), octet_length('héllo'), bit_length('ab');
SELECT lower('HeLLo'), upper('HeLLo'), initcap('hello wORLD foo-bar');
SELECT substring('abcdef' FROM 2 FOR 3), substring('abcdef' FROM 3), substring('abcdef', 2, 2), substr('abcdef', 4);
SELECT substring('abcdef' FROM -1 FOR 3), substr('abc', 0, 2), substring('abc', 5);
SELECT position('c' IN 'abcabc'), strpos('abcabc', 'ca'), position('z' IN 'abc');
SELECT trim('  x  ') || '|', ltrim('  x  ') || '|', rtrim('  x  ') || '|', btrim('xxaxx', 'x');
SELECT trim(BOTH 'x' FROM 'xxhixx'), trim(LEADING 'x' FROM 'xxhixx'), trim(TRAILING 'x' FROM 'xxhixx');
SELECT lpad('7', 3, '0'), rpad('ab', 5, '*'), lpad('abcdef', 3), rpad('', 2, 'xy');
SELECT replace('banana', 'an', 'AN'), translate('12345', '143', 'ax'), reverse('abc');
SELECT repeat('ab', 3), repeat('x', 0), concat('a', NULL, 'b', 1), concat_ws('-', 'a', NULL, 'b');
SELECT left('abcdef', 2), right('abcdef', 2), left('abc', -1), right('abc', -1);
SELECT split_part('a,b,c', ',', 2), split_part('a,b,c', ',', 5), split_part('a,b,c', ',', -1);
SELECT starts_with('hello', 'he'), 'hello' ^@ 'lo';
SELECT ascii('A'), chr(66), md5('abc'), md5('');
SELECT to_hex(255), to_hex(-1), quote_ident('a b'), quote_literal('it''s'), quote_nullable(NULL);
SELECT format('%s is %s', 'x', 42), format('%I.%L', 'My Tab', 'v'), format('%3s|%-3s|', 'a', 'b');
SELECT string_to_array('a,b,,c', ','), array_to_string(ARRAY[1, NULL, 3], ',', '*');
SELECT regexp_replace('foo123bar', '[0-9]+', '#'), regexp_replace('aaa', 'a', 'b', 'g');
SELECT regexp_match('abc123', '([a-z]+)([0-9]+)'), regexp_matches('a1b2', '[0-9]', 'g');
SELECT 'abc' || repeat('-', 3) || upper('d');
SELECT length(NULL::text), upper(NULL), concat(NULL), coalesce(lower(NULL), 'nul');
SELECT abs(-3), abs(-3.5), abs(2::int8), sign(-2.5), sign(0), sign(3::float8);
SELECT ceil(1.2), ceiling(-1.2), floor(1.8), floor(-1.8), trunc(1.789, 2), trunc(-1.7);
SELECT round(2.5), round(-2.5), round(1.2345, 2), round(1234.5, -2), round(2.5::float8), round(3.5::float8);
SELECT mod(10, 3), mod(-10, 3), mod(10.5, 3), div(7, 2), div(-7, 2);
SELECT power(2, 10), power(2.0, 0.5), sqrt(2), sqrt(16::numeric), cbrt(27);
SELECT exp(1), ln(10), log(100), log(2, 8), log10(1000);
SELECT pi(), degrees(pi()), radians(180);
SELECT sin(0), cos(0), tan(0), asin(1), acos(1), atan(1), atan2(1, 1);
SELECT gcd(12, 18), lcm(4, 6), factorial(10);
SELECT width_bucket(5.5, 0, 10, 5), width_bucket(-1, 0, 10, 5), width_bucket(11, 0, 10, 5);
SELECT scale(1.2300), trim_scale(1.2300), min_scale(1.2300);
SELECT 0.1 + 0.2, 0.1::float8 + 0.2::float8, 1e100::float8 * 10, 1.0e-5::float8;
SELECT 1/3::float8, 2/3::float4, 100000000000000000000::float8, 1.5e300 * 1.5e300::numeric > 0;
SELECT 12345678901234567890::numeric * 98765432109876543210, 1::numeric / 7;
SELECT 10::numeric / 4, 10 / 4, 10.0 / 4.0, 1::numeric(10,3) / 3;
SELECT 'NaN'::float8 + 1, 'Infinity'::float8 - 'Infinity'::float8, 'NaN'::numeric * 0;
SELECT float8 '1.5e10', float4 '3.14159265', 1.23456789012345678::float8, 1e-7::float4;
SELECT 3.0::float8, -0.0::float8, 1e15::float8, 1e16::float8, 123456789012345678::float8;
SELECT to_char(1234.5, '9999.99'), to_char(5, '000'), to_char(-12.3, 'S99.9');
SELECT to_number('12,345.6', '99G999D9');
SELECT random() >= 0 AND random() < 1 AS in_range;
SELECT setseed(0.5) IS NULL AS seeded;
SELECT length(gen_random_uuid()::text);
SELECT md5('QuiverDB') = md5('QuiverDB'), sha256('abc'::bytea) = sha256('abc'::bytea);
SELECT encode(sha256('abc'), 'hex');
SELECT encode('hello'::bytea, 'base64'), decode('aGVsbG8=', 'base64'), encode('\x00ff'::bytea, 'hex');
SELECT convert_to('hé', 'UTF8'), convert_from('\x68c3a9', 'UTF8');
SELECT num_nulls(1, NULL, NULL), num_nonnulls(1, NULL, 'a');
-- error 42883
SELECT nosuchfunc(1);
-- error 42883
SELECT length(1, 2);
-- error 42883
SELECT upper(1);
-- error 22012
SELECT mod(5, 0);
-- error 2201F
SELECT power(0, -1);
-- error 2201E
SELECT ln(0);
-- error 2201F
SELECT sqrt(-1);
-- error 22003
SELECT factorial(-1);
-- error 22023
SELECT repeat('x', 1) || chr(-1);
-- error 22023
SELECT split_part('a,b', ',', 0);
-- error 2201B
SELECT regexp_replace('a', '(', 'b');
-- named arguments and defaults
SELECT make_interval(1, 2), make_interval(days => 10), make_interval(hours => 2, days => 1), make_interval(1, days => 3), make_interval(), make_interval(secs => 1.5);
SELECT make_date(year => 2024, month => 2, day => 29), make_time(hour => 1, min => 2, sec => 3.5), make_timestamp(2024, 1, 2, hour => 3, min => 4, sec => 5);
-- error 42883
SELECT make_interval(foo => 1);
-- error 42601
SELECT make_interval(days => 1, days => 2);
-- error 42883
SELECT make_date(year => 2024, month => 2);
