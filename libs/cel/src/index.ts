export * from './lib/compile';
export * from './lib/errors';
export * from './lib/values';
export * from './lib/crd-rules';
export { parseQuantity, Quantity } from './lib/quantity';
export { re2SyntaxError } from './lib/regex';
