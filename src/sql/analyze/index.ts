// Public surface of sql/analyze: binding raw statements into typed, resolved statements.
export * from './bound.js';
export { QueryBinder, figureColname, type CatalogAccess, type ResolvedRelation } from './bind-select.js';
export { DmlBinder, parseExpr, columnIndex, assign, type TargetAccess } from './bind-dml.js';
export { ExprBinder, pos, type ExprContext } from './bind-expr.js';
export { coerce, tryCoerce, selectCommonType, literalOf, typeNameOf, type CoercionHost } from './coerce.js';
export { Scope } from './scope.js';
export { exprKey, mapExpr, mapChildren, visitExpr, conjuncts, columnsUsed, shiftColumns, isRowIndependent, exprContainsSubquery, visitQueryExprs } from './expr-utils.js';
