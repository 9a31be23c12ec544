// Public surface of sql/parse: SQL text → raw parse tree.
export { loadParser, parseSql, byteToCharOffset, type PgNode, type RawStatement } from './parser.js';
export { nodeTag, nodeBody, strVal, nameList } from './nodes.js';
export { deparseExpr as deparseRawExpr, deparseTypeName, quoteIdent, quoteLiteral } from './deparse.js';
export { normalizeLiterals, type NormalizedQuery, type LiftedLiteral, type LiftedKind } from './normalize.js';
