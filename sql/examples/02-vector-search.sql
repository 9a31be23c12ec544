-- pgvector's surface on QuiverDB: the extension, a vector column, an HNSW index with cosine
-- distance, k-nearest-neighbour queries with and without a filter, the distance operators and
-- functions, and a halfvec expression index. Run it with:
--   psql -X -v ON_ERROR_STOP=1 -f sql/examples/02-vector-search.sql
-- (test/sql-examples.test.ts runs it on QuiverDB and compares with 02-vector-search.out).

CREATE EXTENSION IF NOT EXISTS vector;
DROP TABLE IF EXISTS documents;

CREATE TABLE documents (
  id        int PRIMARY KEY,
  topic     text NOT NULL,
  embedding vector(4) NOT NULL
);

INSERT INTO documents
SELECT i,
       (ARRAY['databases', 'search', 'cooking'])[1 + i % 3],
       ARRAY[cos(i), sin(i), cos(i * 0.5), sin(i * 0.25)]::real[]::vector(4)
FROM generate_series(1, 300) AS i;

CREATE INDEX documents_embedding_idx ON documents USING hnsw (embedding vector_cosine_ops)
  WITH (m = 16, ef_construction = 64);
ANALYZE documents;

-- the nearest documents to a query vector, by cosine distance, through the index
EXPLAIN (COSTS OFF) SELECT id FROM documents ORDER BY embedding <=> '[1, 0, 1, 0]' LIMIT 5;
SELECT id, topic, round((embedding <=> '[1, 0, 1, 0]')::numeric, 4) AS distance
FROM documents ORDER BY embedding <=> '[1, 0, 1, 0]' LIMIT 5;

-- with a filter: still five rows (iterative scanning is on by default)
SELECT id, topic FROM documents WHERE topic = 'cooking'
ORDER BY embedding <=> '[1, 0, 1, 0]' LIMIT 5;

-- operators and functions
SELECT '[1,2,3]'::vector <-> '[4,6,3]' AS l2,
       '[1,2,3]'::vector <#> '[4,6,3]' AS neg_inner_product,
       round(('[1,2,3]'::vector <=> '[4,6,3]')::numeric, 6) AS cosine,
       '[1,2,3]'::vector <+> '[4,6,3]' AS l1,
       vector_dims('[1,2,3]'::vector) AS dims,
       l2_normalize('[3,4]'::vector) AS unit,
       '[1,2]'::vector + '[3,4]' AS sum;
SELECT avg(embedding) IS NOT NULL AS has_avg, count(*) FROM documents;

-- a half-precision expression index, used by a query on the same expression
CREATE INDEX documents_half_idx ON documents USING hnsw ((embedding::halfvec(4)) halfvec_l2_ops);
EXPLAIN (COSTS OFF) SELECT id FROM documents ORDER BY embedding::halfvec(4) <-> '[0, 1, 0, 1]' LIMIT 3;

-- pgvector's errors
\set ON_ERROR_STOP 0
SELECT '[1,2]'::vector <-> '[1,2,3]';
INSERT INTO documents VALUES (1000, 'x', '[1, NaN, 0, 0]');
\set ON_ERROR_STOP 1

DROP TABLE documents;
