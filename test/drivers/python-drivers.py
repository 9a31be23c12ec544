# Python's two main PostgreSQL drivers against QuiverDB (run by python-drivers.test.ts with the
# server's port): asyncpg (binary protocol, its type introspection behind set_type_codec, a
# transaction, executemany) and psycopg 3 (TypeInfo.fetch as pgvector-python's register_vector
# calls it, server-side parameters, a prepared statement). Every check raises on a mismatch.
import asyncio
import datetime
import decimal
import sys

import asyncpg
import psycopg

PORT = int(sys.argv[1])
UTC = datetime.timezone.utc


def check(label, got, want):
    if got != want:
        raise AssertionError(f'{label}: got {got!r}, want {want!r}')
    print(f'ok {label}')


async def with_asyncpg():
    c = await asyncpg.connect(host='127.0.0.1', port=PORT, user='postgres', database='postgres')
    try:
        await c.execute('CREATE EXTENSION IF NOT EXISTS vector')
        await c.execute('CREATE TABLE py_items (id int PRIMARY KEY, name text, score numeric, at timestamptz, tags text[], e vector(3))')
        await c.execute("INSERT INTO py_items VALUES (1, 'a', 1.5, '2024-01-01 00:00+00', '{x,y}', '[1,2,3]')")
        await c.executemany('INSERT INTO py_items (id, name, e) VALUES ($1, $2, $3::vector)', [(2, 'b', '[9,9,9]'), (3, 'c', '[1,2,4]')])
        row = await c.fetchrow('SELECT id, name, score, at, tags FROM py_items WHERE id = $1', 1)
        check('asyncpg row', dict(row), {'id': 1, 'name': 'a', 'score': decimal.Decimal('1.5'),
                                         'at': datetime.datetime(2024, 1, 1, tzinfo=UTC), 'tags': ['x', 'y']})
        await c.set_type_codec('vector', schema='public', format='text',
                               encoder=lambda v: '[' + ','.join(map(str, v)) + ']',
                               decoder=lambda s: [float(x) for x in s[1:-1].split(',')])
        check('asyncpg vector codec', await c.fetchval('SELECT e FROM py_items WHERE id = 1'), [1.0, 2.0, 3.0])
        # a row value in binary (record_send), and a whole-row reference as json
        check('asyncpg record', tuple(await c.fetchval('SELECT ROW(id, name, score) FROM py_items WHERE id = 1')), (1, 'a', decimal.Decimal('1.5')))
        check('asyncpg row_to_json', await c.fetchval('SELECT row_to_json(t) FROM (SELECT id, name FROM py_items WHERE id = 1) t'), '{"id":1,"name":"a"}')
        knn = await c.fetch('SELECT id FROM py_items ORDER BY e <-> $1 LIMIT 2', [1.0, 2.0, 3.9])
        check('asyncpg k-NN', [r['id'] for r in knn], [3, 1])
        async with c.transaction():
            await c.execute("UPDATE py_items SET name = 'z' WHERE id = 2")
        check('asyncpg transaction', await c.fetchval('SELECT name FROM py_items WHERE id = 2'), 'z')
        try:
            await c.execute("INSERT INTO py_items (id) VALUES (1)")
            raise AssertionError('duplicate key accepted')
        except asyncpg.UniqueViolationError as e:
            check('asyncpg unique violation', e.sqlstate, '23505')
    finally:
        await c.close()


def with_psycopg():
    with psycopg.connect(f'host=127.0.0.1 port={PORT} user=postgres dbname=postgres', autocommit=True) as c:
        info = psycopg.types.TypeInfo.fetch(c, 'vector')
        check('psycopg TypeInfo', (info.name, info.oid > 0, info.array_oid > 0), ('vector', True, True))
        row = c.execute('SELECT id, name, score, at, tags FROM py_items WHERE id = %s', (1,)).fetchone()
        check('psycopg row', row, (1, 'a', decimal.Decimal('1.5'), datetime.datetime(2024, 1, 1, tzinfo=UTC), ['x', 'y']))
        check('psycopg ANY', c.execute('SELECT id FROM py_items WHERE name = ANY(%s) ORDER BY id', (['a', 'c'],)).fetchall(), [(1,), (3,)])
        with c.cursor() as cur:
            cur.execute('SELECT e::text FROM py_items WHERE id = %s', (3,), prepare=True)
            check('psycopg prepared', cur.fetchone(), ('[1,2,4]',))
    # Server-side (named) cursors: DECLARE with a parameter, Describe of the cursor's portal, FETCH
    # FORWARD n, and a scrollable one moved back (psycopg runs them in a transaction).
    with psycopg.connect(f'host=127.0.0.1 port={PORT} user=postgres dbname=postgres') as c:
        c.execute('INSERT INTO py_items (id, name) SELECT i, i::text FROM generate_series(10, 40) i')
        with c.cursor(name='named') as cur:
            cur.itersize = 7
            cur.execute('SELECT id, name FROM py_items WHERE id >= %s ORDER BY id', (10,))
            check('psycopg named cursor first', cur.fetchone(), (10, '10'))
            check('psycopg named cursor fetchmany', cur.fetchmany(2), [(11, '11'), (12, '12')])
            check('psycopg named cursor rest', len(cur.fetchall()), 28)
        with c.cursor(name='scroller', scrollable=True) as cur:
            cur.execute('SELECT id FROM py_items WHERE id >= 10 ORDER BY id')
            cur.fetchmany(5)
            cur.scroll(-2)
            check('psycopg scroll back', cur.fetchone(), (13,))
        c.rollback()
    with psycopg.connect(f'host=127.0.0.1 port={PORT} user=postgres dbname=postgres', autocommit=True) as c:
        c.execute('DROP TABLE py_items')


asyncio.run(with_asyncpg())
with_psycopg()
print('all ok')
