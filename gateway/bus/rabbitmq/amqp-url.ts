import { GatewayError } from '../../../contracts/errors/gateway-error';

/** The environment variable that selects the RabbitMQ bus; absent, the embedded bus is used. */
export const AMQP_URL_VARIABLE = 'MMGW_AMQP_URL';

/** Checks an AMQP URL (`amqp://user:password@host:port/vhost` or `amqps://…`); `bus.bad-amqp-url` names the rule broken, never the password. */
export function parseAmqpUrl(value: string): string {
  const raw = value.trim();
  const fail = (why: string) => new GatewayError('bus.bad-amqp-url', `${AMQP_URL_VARIABLE} ${why}`, { variable: AMQP_URL_VARIABLE });
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined) throw fail('has no scheme; expected amqp://user:password@host:5672/vhost or amqps://….');
  if (scheme !== 'amqp' && scheme !== 'amqps') throw fail(`has the unsupported scheme "${scheme}:"; expected amqp:// or amqps://.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fail('is not a valid URL (check the escaping of special characters in the user name, password and vhost).');
  }
  if (url.hostname === '') throw fail('has no host; expected amqp://user:password@host:5672/vhost.');
  return raw;
}
