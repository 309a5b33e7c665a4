import BTreeImport from 'sorted-btree';

/**
 * sorted-btree is CommonJS with `exports.default`: Node's ESM loader hands us the exports object,
 * a bundler hands us the class. Accept both.
 */
const BTree = ((BTreeImport as unknown as { default?: typeof BTreeImport }).default ?? BTreeImport) as typeof BTreeImport;
export default BTree;
