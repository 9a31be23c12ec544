// Public surface of sql/functions: the built-in function/operator/aggregate registry and
// PostgreSQL's overload resolution over it.
import { registerIntOps } from './int-ops.js';
import { registerFloatOps } from './float-ops.js';
import { registerNumericOps } from './numeric-ops.js';
import { registerComparisons } from './comparison.js';
import { registerStringFunctions } from './string-functions.js';
import { registerPatternOps } from './pattern-ops.js';
import { registerMathFunctions } from './math-functions.js';
import { registerArrayFunctions } from './array-functions.js';
import { registerAggregates } from './aggregates.js';
import { registerDatetimeFunctions } from './datetime-functions.js';
import { registerSystemFunctions } from './system-functions.js';
import { registerCatalogInfoFunctions } from './catalog-info-functions.js';
import { registerVectorFunctions } from './vector-functions.js';
import { registerSparsevecFunctions } from './vector-sparse-functions.js';
import { registerVectorAggregates } from './vector-aggregates.js';
import { registerBitFunctions } from './bit-functions.js';
import { registerJsonFunctions } from './json-functions.js';

export type {
  AggregateDef, EvalContext, FunctionDef, ScalarFunctionDef, SessionServices, Volatility,
} from './function-def.js';
export { lookupFunction, lookupOperator, allFunctionNames, allOperatorNames } from './registry.js';
export { regprocIn, regprocOut } from './proc-names.js';
export { resolveFunction, resolveFunctionAt, resolveOperator, canCoerceImplicit, formatTypeName, type Resolved } from './resolve.js';
export { likeMatch, likeToRegExp } from './pattern-ops.js';

registerIntOps();
registerFloatOps();
registerNumericOps();
registerComparisons();
registerStringFunctions();
registerPatternOps();
registerMathFunctions();
registerArrayFunctions();
registerAggregates();
registerDatetimeFunctions();
registerSystemFunctions();
registerCatalogInfoFunctions();
registerVectorFunctions();
registerSparsevecFunctions();
registerVectorAggregates();
registerBitFunctions();
registerJsonFunctions();
