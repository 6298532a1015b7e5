import type { BusTopologyDeclaration } from '../bus/topology';
import { deliveryQueueDeclarations } from '../deliveries/topology';

/** The queue keeping the alerts the core writes for people (obligation reminders and escalations, re-gradings, contact reminders) until an alerting adapter consumes them. */
export const ALERTS_QUEUE = 'alerts';

/** The gateway's bus topology: the delivery stage's queues and the alerts queue. */
export function gatewayTopology(): BusTopologyDeclaration {
  return {
    exchange: 'mmgw',
    queues: {
      ...deliveryQueueDeclarations(),
      [ALERTS_QUEUE]: { bindings: ['obligation.#', 'case.#', 'contacts.#', 'email.quarantined'] },
    },
  };
}
