// Public surface of catalog: descriptors of schema objects, name resolution, persistence.
export * from './descriptors.js';
export {
  Catalog, effectiveSearchPath, creationSchema, FIRST_USER_OID, PG_CATALOG_NAMESPACE,
  INFORMATION_SCHEMA_NAMESPACE, PUBLIC_NAMESPACE_NAME, type ObjectKind, type CatalogObjects, type OidCounter,
} from './catalog.js';
export {
  loadCatalog, persistCatalogChanges, loadOidCounter, deleteDatabaseCatalog, catalogKey,
  CATALOG_KEY_PREFIX, type KvReadWrite,
} from './catalog-store.js';
export { ANN_OPCLASSES, findAnnOpclass, defaultAnnOpclass, isAnnMethod, type AnnOpclass, type AnnMethod, type AnnMetricName } from './vector-opclasses.js';
