import BTreeImport from 'sorted-btree';
import * as bulkLoadImport from 'sorted-btree/extended/bulkLoad.js';

/**
 * sorted-btree is CommonJS with `exports.default`: Node's ESM loader hands us the exports object,
 * a bundler hands us the class. Accept both.
 */
const BTree = ((BTreeImport as unknown as { default?: typeof BTreeImport }).default ?? BTreeImport) as typeof BTreeImport;
export default BTree;

type BulkLoadModule = typeof bulkLoadImport;
/**
 * The library's O(n) builder of a tree from keys in strictly ascending order (same interop as above).
 * The import names the file: the built main process is ESM, which does not add extensions.
 */
export const bulkLoad = ((bulkLoadImport as unknown as { default?: BulkLoadModule }).default ?? bulkLoadImport).bulkLoad;
