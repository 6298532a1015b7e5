import { GatewayError } from '../../contracts/errors/gateway-error';

const PATTERN = /^dlv-(\d{8,18})$/;

/**
 * The public id of a delivery, as recipients see it and name it in their Acknowledgement
 * (`deliveryId`): `dlv-` and the row number, at least 8 digits so it is a valid message id.
 */
export function deliveryRef(id: number): string {
  return `dlv-${String(id).padStart(8, '0')}`;
}

/** The row number of a public delivery id; `delivery.unknown-delivery` if it is not one. */
export function parseDeliveryRef(ref: string): number {
  const m = PATTERN.exec(ref);
  if (m === null) throw new GatewayError('delivery.unknown-delivery', `"${ref}" is not a delivery id of this gateway (dlv- followed by 8 to 18 digits)`, { path: 'body.deliveryId' });
  return Number(m[1]);
}
