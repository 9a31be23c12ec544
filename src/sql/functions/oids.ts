// Type OIDs the function definitions use, as PostgreSQL 15 numbers them (a superset of the
// types module's OID table: pseudo-types and array types the built-ins' signatures mention).
export const T = {
  bool: 16, bytea: 17, char: 18, name: 19, int8: 20, int2: 21, int4: 23, regproc: 24, text: 25,
  oid: 26, json: 114, float4: 700, float8: 701, unknown: 705, bpchar: 1042, varchar: 1043,
  date: 1082, time: 1083, timestamp: 1114, timestamptz: 1184, interval: 1186, timetz: 1266,
  numeric: 1700, regclass: 2205, regtype: 2206, record: 2249, cstring: 2275, any: 2276,
  anyarray: 2277, void: 2278, anyelement: 2283, anynonarray: 2776, uuid: 2950, anyenum: 3500,
  jsonb: 3802, anycompatible: 5077, anycompatiblearray: 5078, anycompatiblenonarray: 5079,
  _bool: 1000, _bytea: 1001, _int2: 1005, _int4: 1007, _text: 1009, _int8: 1016, _float4: 1021,
  _float8: 1022, _numeric: 1231, _timestamp: 1115, _date: 1182, _timestamptz: 1185,
  _interval: 1187, _uuid: 2951, _name: 1003,
} as const;
