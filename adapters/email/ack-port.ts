import type { DataSource } from 'typeorm';
import { decode } from '../../contracts/codec';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { acknowledge } from '../../gateway/deliveries/acknowledge';
import type { DeliveryContext } from '../../gateway/deliveries/options';
import type { TrustStore } from '../../gateway/signing/trust-store';
import type { IntakePort } from './ports';

/** What acknowledging by e-mail needs: the store, the trust anchors, the delivery context. */
export interface AcknowledgingPortOptions {
  readonly dataSource: DataSource;
  readonly trust: TrustStore;
  readonly delivery: DeliveryContext;
}

/**
 * The recipient of a delivery mail acknowledges it by replying with its signed Acknowledgement
 * attached (issue 7): an attached form whose type is `Acknowledgement` goes to the deliveries'
 * `acknowledge` (the same use case as `POST /v1/mailbox/{deliveryId}/ack`: signature verified,
 * the signer must be the delivery's recipient, the first acknowledgement stands), every other
 * form to `base` (intake). A refusal (`delivery.*`) is answered as a rejection with its code; a
 * failure of a service throws, so the mail stays and is handled again.
 */
export function acknowledgingIntakePort(base: IntakePort, options: AcknowledgingPortOptions): IntakePort {
  return {
    async submitForm(bytes) {
      if (decode(bytes).document?.type !== 'Acknowledgement') return base.submitForm(bytes);
      try {
        const ack = await acknowledge(options.dataSource, bytes, { trust: options.trust }, options.delivery);
        return { outcome: 'accepted', messageId: ack.receiptId, formType: 'Acknowledgement', institution: ack.recipientCode };
      } catch (e) {
        if (e instanceof GatewayError && e.code.startsWith('delivery.')) return { outcome: 'rejected', code: e.code, reason: e.message, formType: 'Acknowledgement' };
        throw e;
      }
    },
  };
}
