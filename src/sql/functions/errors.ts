// Error constructors shared by the built-ins, with PostgreSQL's SQLSTATEs and message texts.
import { SqlError, SQLSTATE } from '../../base/index.js';

export const int2Range = (): SqlError => new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'smallint out of range');
export const int4Range = (): SqlError => new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'integer out of range');
export const int8Range = (): SqlError => new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'bigint out of range');
export const divZero = (): SqlError => new SqlError(SQLSTATE.DIVISION_BY_ZERO, 'division by zero');
export const floatOverflow = (): SqlError => new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'value out of range: overflow');
export const floatUnderflow = (): SqlError => new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, 'value out of range: underflow');
export const invalidParam = (msg: string): SqlError => new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, msg);
export const intervalRange = (): SqlError => new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'interval out of range');
export const timestampRange = (): SqlError => new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'timestamp out of range');
export const dateRange = (): SqlError => new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'date out of range');
