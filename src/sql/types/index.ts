// Public surface of sql/types: what each SQL type is, by PostgreSQL OID — descriptors, names and
// typmods, text and binary I/O, casts, comparison and hashing, date/time arithmetic, and the
// storage row format and order-preserving key encoding.
export type { Datum, SqlType, SqlArray, SqlRecord } from './datum.js';
export { isSqlArray, isRecord } from './datum.js';
export { isSparseVec, isBitString, type SparseVec, type BitString } from './vector-datum.js';
export { OID } from './oids.js';
export { typeInfo, typeInfoByName, allTypeInfos, arrayTypeOf, elementTypeOf, isArrayType, type TypeInfo } from './type-info.js';
export { resolveTypeName, formatType, typmodIn, regtypeIn } from './type-names.js';
export { typeProcs, typeProcNames, type TypeProcs } from './type-procs.js';
export { Numeric, numericTypmod, numericTypmodParts, applyNumericTypmod } from './numeric.js';
export { Interval, isInterval, intervalOutOfRange, USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC } from './interval.js';
export { textIn, textOut } from './text-io.js';
export { intervalIn, intervalOut, intervalTypmod, applyIntervalTypmod, INTERVAL_MASK, INTERVAL_FULL_RANGE, INTERVAL_FULL_PRECISION } from './interval-io.js';
export { roundMicros, dateOut, timestampOut, timestamptzOut, offsetOut } from './datetime-io.js';
export {
  type TypeSettings, type TimeZone, type TimestampFields,
  DT_NOBEGIN, DT_NOEND, MIN_TIMESTAMP, END_TIMESTAMP, MIN_DATE, END_DATE, POSTGRES_EPOCH_JDATE, UNIX_EPOCH_JDATE,
  date2j, j2date, isLeap, daysInMonth, dateFromYmd, ymdFromDate, timestampToFields, fieldsToTimestamp,
  isFiniteTimestamp, timestampOutOfRange, dateOutOfRange, checkTimestamp,
  findTimeZone, timeZoneOrThrow, sessionZone, UTC_ZONE, localToUtc, utcToLocal,
  timestampPlusInterval, timestampMinusInterval, timestampDiff, datePlusDays, dateDiff,
  dateToTimestamp, timestampToDate, timestampToTimestamptz, timestamptzToTimestamp, dateAddTime,
  canonicalUnit, extractTimestamp, extractDate, extractTime, extractInterval,
  dateTruncTimestamp, dateTruncInterval,
} from './datetime.js';
export { parseJson, jsonIn, jsonbIn, jsonbOut, jsonRawMembers, quoteJsonString, compareJsonbKeys, type JsonValue, type JsonObject } from './json.js';
export { arrayIn, arrayOut, makeArray } from './array.js';
export { charLength, charPrefix, padBpchar, byteaOut, float8Out, float4Out, uuidToBytes, uuidFromBytes } from './scalar-io.js';
export { castContext, castDatum, coerceTypmod, rint, type CastContext } from './casts.js';
export {
  compareDatums, datumsEqual, hashDatum, compareText, compareBpchar, compareFloat, compareBytes, compareArrays, compareJsonb,
  compareJsonValues, compareDenseVectors, compareSparseVectors,
} from './compare.js';
export {
  VECTOR_MAX_DIM, HALFVEC_MAX_DIM, SPARSEVEC_MAX_DIM, SPARSEVEC_MAX_NNZ, type VectorKind,
  checkDim, checkExpectedDim, checkElement, float4ToHalfChecked, vectorTypmodIn,
  denseVectorIn, denseVectorOut, sparsevecIn, sparsevecOut, vectorSend, halfvecSend, denseVectorRecv, sparsevecSend, sparsevecRecv,
  vectorToHalfvec, halfvecToVector, denseToSparsevec, sparsevecToDense, denseToFloat4Array, arrayToDense,
} from './vector-io.js';
export {
  BIT_MAX_LENGTH, makeBitString, bitTypmodIn, bitIn, bitOut, bitSend, bitRecv, coerceBitLength, coerceVarbitLength,
  bitFromInt, bitToInt, compareBits,
} from './bit-string.js';
export { scanFloat4, scanLong, type StrtofResult, type StrtolResult } from './c-number-parse.js';
export { binaryIn, binaryOut, numericToNbase } from './binary-io.js';
export { encodeRow, encodeRowTransient, decodeRow, decodeColumns } from './row-codec.js';
export { encodeKeyDatums, encodePrefixedKey, decodeKeyDatums } from './key-codec.js';
