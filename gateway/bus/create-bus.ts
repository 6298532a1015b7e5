import type { DataSource } from 'typeorm';
import { EmbeddedBus, type EmbeddedBusOptions } from './embedded/embedded-bus';
import type { Bus } from './port';
import { AMQP_URL_VARIABLE } from './rabbitmq/amqp-url';
import { RabbitMqBus, type RabbitMqBusOptions } from './rabbitmq/rabbitmq-bus';
import type { BusTopologyDeclaration } from './topology';

/**
 * The bus the configuration selects: RabbitMQ when MMGW_AMQP_URL is set (in `env`), otherwise
 * the embedded bus on the store's outbox. Validates the URL and the topology; does not connect
 * (call `start`).
 */
export function createBus(
  dataSource: DataSource,
  declaration: BusTopologyDeclaration,
  options: { env?: NodeJS.ProcessEnv; embedded?: EmbeddedBusOptions; rabbitmq?: RabbitMqBusOptions } = {},
): Bus {
  const url = (options.env ?? process.env)[AMQP_URL_VARIABLE]?.trim();
  if (url) return new RabbitMqBus(url, declaration, options.rabbitmq);
  return new EmbeddedBus(dataSource, declaration, options.embedded);
}
