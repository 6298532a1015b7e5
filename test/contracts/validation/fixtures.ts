/** Builders re-exported for declarations made up in tests. */
export { arr, obj, opt, req, text } from '../../../contracts/model/builders';
export { server } from '../../../contracts/model/common';
