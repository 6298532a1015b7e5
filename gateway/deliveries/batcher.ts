// The Batcher lives with the bus (the embedded bus batches its acknowledgements with it); the
// delivery stage batches its routing commits with the same one.
export { Batcher, type BatcherOptions } from '../bus/batcher';
