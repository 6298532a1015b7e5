import type { DataSource } from 'typeorm';
import { createBus } from '../../../gateway/bus';

// No connection is made here: createBus only validates and chooses.
describe('createBus (MMGW_AMQP_URL)', () => {
  const dataSource = {} as DataSource;
  const topology = { exchange: 'mmgw', queues: { routing: { bindings: ['message.#'] } } };

  it('is the embedded bus when MMGW_AMQP_URL is absent or empty', () => {
    expect(createBus(dataSource, topology, { env: {} }).kind).toBe('embedded');
    expect(createBus(dataSource, topology, { env: { MMGW_AMQP_URL: ' ' } }).kind).toBe('embedded');
  });

  it('is the RabbitMQ bus when MMGW_AMQP_URL is an amqp(s) URL', () => {
    expect(createBus(dataSource, topology, { env: { MMGW_AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672/%2F' } }).kind).toBe('rabbitmq');
    expect(createBus(dataSource, topology, { env: { MMGW_AMQP_URL: 'amqps://u:p@broker.example/mmgw' } }).kind).toBe('rabbitmq');
  });

  it.each([
    ['http://127.0.0.1:15672', /unsupported scheme "http:"/],
    ['127.0.0.1:5672', /unsupported scheme "127.0.0.1:"|has no scheme/],
    ['rabbit', /has no scheme/],
    ['amqp://', /has no host|not a valid URL/],
  ])('refuses MMGW_AMQP_URL=%s with bus.bad-amqp-url', (url, why) => {
    expect(() => createBus(dataSource, topology, { env: { MMGW_AMQP_URL: url } })).toThrow(expect.objectContaining({ code: 'bus.bad-amqp-url', message: expect.stringMatching(why) }));
  });

  it('validates the topology whichever bus it picks', () => {
    for (const env of [{}, { MMGW_AMQP_URL: 'amqp://127.0.0.1' }]) {
      expect(() => createBus(dataSource, { exchange: 'mmgw', queues: { q: { bindings: [] } } }, { env })).toThrow(expect.objectContaining({ code: 'bus.invalid-topology' }));
    }
  });
});
