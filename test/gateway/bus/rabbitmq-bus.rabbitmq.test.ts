import { RabbitMqBus, type Bus } from '../../../gateway/bus';
import { useRabbitMq } from '../../support/services';
import { busConformance } from './conformance';

// The RabbitMQ bus against the machine's broker, in a fresh vhost: the same conformance suite
// as the embedded bus.
describe('RabbitMQ bus', () => {
  const rabbit = useRabbitMq(__filename);
  const errors: unknown[] = [];
  busConformance({
    available: () => rabbit.available,
    open: async (declaration): Promise<Bus> => {
      const bus = new RabbitMqBus(rabbit.url, declaration, { onError: (e) => errors.push(e) });
      await bus.start();
      return bus;
    },
  });
});
