// Descriptors: the plain-data description of every schema object (databases, schemas, tables,
// columns, indexes, constraints, sequences, views, roles). They are JSON-serializable: the
// catalog stores them as rows through txn, so DDL is transactional like any other write.

/** A type as PostgreSQL identifies it (same shape as sql/types' SqlType). */
export interface TypeRef {
  oid: number;
  typmod: number;
}

export interface DatabaseDesc {
  oid: number;
  name: string;
  owner: string;
}

export interface SchemaDesc {
  oid: number;
  dbOid: number;
  name: string;
  owner: string;
}

export interface ColumnDesc {
  name: string;
  /** 1-based attribute number, stable for the life of the column. */
  attnum: number;
  type: TypeRef;
  notNull: boolean;
  /** DEFAULT expression as SQL text (deparsed from the parse tree), or null. */
  defaultSql: string | null;
  /** 'a' GENERATED ALWAYS / 'd' BY DEFAULT AS IDENTITY, or ''. */
  identity: '' | 'a' | 'd';
  /** Sequence backing serial/identity columns (qualified name), or null. */
  sequenceOid: number | null;
  dropped: boolean;
  /**
   * Value for rows written before the column existed (ALTER TABLE ADD COLUMN ... DEFAULT const),
   * in text form; null means NULL.
   */
  missingText: string | null;
  /** COMMENT ON COLUMN text. */
  comment?: string | null;
}

export interface IndexDesc {
  oid: number;
  name: string;
  tableOid: number;
  schemaOid: number;
  /** Attribute numbers of the key columns (expression indexes: not supported yet). */
  columns: number[];
  descending: boolean[];
  nullsFirst: boolean[];
  unique: boolean;
  primary: boolean;
  /** 'btree', or an ANN access method: 'hnsw' | 'ivfflat'. */
  method: string;
  /** Per key: SQL text of an expression key (its `columns` entry is then 0), or null for a column. */
  exprs?: (string | null)[];
  /** Per key: operator class name given or defaulted (ANN indexes), or null. */
  opclasses?: (string | null)[];
  /** Attribute numbers the expression keys read (for DROP COLUMN dependencies). */
  exprDeps?: number[];
  /** WITH (...) storage parameters as given (m, ef_construction, lists). */
  options?: Record<string, string>;
  /** Constraint that owns the index (PRIMARY KEY / UNIQUE), or null. */
  constraintOid: number | null;
}

export type ConstraintType = 'p' | 'u' | 'c' | 'f' | 'n';

export interface ConstraintDesc {
  oid: number;
  name: string;
  tableOid: number;
  schemaOid: number;
  type: ConstraintType;
  /** Constrained columns (attnums). */
  columns: number[];
  /** CHECK: expression as SQL text. */
  checkSql: string | null;
  /** FOREIGN KEY: referenced table and columns. */
  refTableOid: number | null;
  refColumns: number[];
  /** FK actions: 'a' no action, 'r' restrict, 'c' cascade, 'n' set null, 'd' set default. */
  onDelete: string;
  onUpdate: string;
  /** Index enforcing PRIMARY KEY / UNIQUE. */
  indexOid: number | null;
}

export interface TableDesc {
  oid: number;
  name: string;
  schemaOid: number;
  /** 'r' table, 'v' view. */
  kind: 'r' | 'v';
  owner: string;
  columns: ColumnDesc[];
  /** Next attribute number for ADD COLUMN. */
  nextAttnum: number;
  /** View: the defining SELECT as SQL text. */
  viewSql: string | null;
  /** View: OIDs of the tables and views its query reads (DROP checks them). */
  viewDeps?: number[];
  /** Row count collected by ANALYZE (or maintained approximately), -1 when never analyzed. */
  rowCountEstimate: number;
  /**
   * Attnums of the storage key columns: the PRIMARY KEY given at CREATE TABLE, fixed for the
   * table's life; [] means rows are keyed by a hidden unique rowid (int8).
   */
  storageKey: number[];
  /**
   * Index id under which the rows are stored (tableKeyPrefix(oid, storageIndexId)): 0, or the
   * primary key index's OID when ALTER TABLE ADD PRIMARY KEY re-keyed the rows by it.
   */
  storageIndexId?: number;
  comment: string | null;
}

export interface SequenceDesc {
  oid: number;
  name: string;
  schemaOid: number;
  owner: string;
  typeOid: number;
  /** Bounds and step as decimal strings (JSON has no bigint). */
  start: string;
  increment: string;
  min: string;
  max: string;
  cycle: boolean;
  cache: number;
  /** Table/column owning it (serial), or null. */
  ownedBy: { tableOid: number; attnum: number } | null;
}

export interface RoleDesc {
  oid: number;
  name: string;
  superuser: boolean;
  canLogin: boolean;
  createDb: boolean;
  createRole: boolean;
  inherit: boolean;
  replication: boolean;
  bypassRls: boolean;
  connectionLimit: number;
  /** Stored secret: 'SCRAM-SHA-256$...' / 'md5...' / null. */
  password: string | null;
  validUntil: number | null;
}

/** An installed extension (CREATE EXTENSION): today only `vector`, whose objects are built in. */
export interface ExtensionDesc {
  oid: number;
  name: string;
  schemaOid: number;
  version: string;
  owner: string;
}
