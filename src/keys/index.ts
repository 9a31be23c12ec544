// Public surface of keys: keyspace layout and order-preserving primitive encoders.
export {
  KeyWriter, KeyReader, compareKeys, KEY_NULL_FIRST, KEY_NOT_NULL, KEY_NULL_LAST,
} from './encoding.js';
export {
  NS_CATALOG, NS_SEQUENCE, NS_SYSTEM, NS_TABLE, CATALOG_PREFIX, SEQUENCE_PREFIX, SYSTEM_PREFIX,
  TABLE_DATA_PREFIX, tableKeyPrefix, tablePrefix, catalogKeyPrefix, catalogKey, sequenceKey,
  systemKey, prefixEnd, keyNext,
} from './keyspace.js';
