// pgvector's operator classes for the hnsw and ivfflat access methods: which column type each
// serves, which ordering operator it accelerates, the distance metric behind it, and whether it is
// the type's default for that method (as pgvector's extension script declares them).

export type AnnMethod = 'hnsw' | 'ivfflat';
export type AnnMetricName = 'l2' | 'ip' | 'cosine' | 'l1' | 'hamming' | 'jaccard';

export interface AnnOpclass {
  readonly name: string;
  readonly method: AnnMethod;
  /** Column type: 'vector' | 'halfvec' | 'sparsevec' | 'bit'. */
  readonly typeName: 'vector' | 'halfvec' | 'sparsevec' | 'bit';
  /** The ORDER BY operator the index answers. */
  readonly operator: '<->' | '<#>' | '<=>' | '<+>' | '<~>' | '<%>';
  readonly metric: AnnMetricName;
  readonly isDefault: boolean;
  /** pg_opclass OID we report (stable, in the range of extension objects). */
  readonly oid: number;
}

const OPERATOR: Record<AnnMetricName, AnnOpclass['operator']> = {
  l2: '<->', ip: '<#>', cosine: '<=>', l1: '<+>', hamming: '<~>', jaccard: '<%>',
};

const LIST: AnnOpclass[] = [];
let nextOid = 16500;
function add(method: AnnMethod, typeName: AnnOpclass['typeName'], metrics: AnnMetricName[], defaultMetric: AnnMetricName | null): void {
  for (const metric of metrics) {
    const name = typeName === 'bit' ? `bit_${metric}_ops` : `${typeName}_${metric}_ops`;
    LIST.push({ name, method, typeName, operator: OPERATOR[metric], metric, isDefault: metric === defaultMetric, oid: nextOid++ });
  }
}
add('hnsw', 'vector', ['l2', 'ip', 'cosine', 'l1'], null);
add('hnsw', 'halfvec', ['l2', 'ip', 'cosine', 'l1'], null);
add('hnsw', 'sparsevec', ['l2', 'ip', 'cosine', 'l1'], null);
add('hnsw', 'bit', ['hamming', 'jaccard'], null);
add('ivfflat', 'vector', ['l2', 'ip', 'cosine'], 'l2');
add('ivfflat', 'halfvec', ['l2', 'ip', 'cosine'], 'l2');
add('ivfflat', 'bit', ['hamming'], null);

/** Every ANN operator class. */
export const ANN_OPCLASSES: readonly AnnOpclass[] = LIST;

export function findAnnOpclass(method: string, name: string): AnnOpclass | undefined {
  return LIST.find((o) => o.method === method && o.name === name);
}

export function defaultAnnOpclass(method: string, typeName: string): AnnOpclass | undefined {
  return LIST.find((o) => o.method === method && o.typeName === typeName && o.isDefault);
}

export function isAnnMethod(method: string): method is AnnMethod {
  return method === 'hnsw' || method === 'ivfflat';
}
