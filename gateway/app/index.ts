/** The composition root of the gateway core (issue 5, item 2). */
export { createGateway, type Gateway, type GatewayOptions, type FirstStart } from './create-gateway';
export { ensureDevPki, DEV_SERVER_NAME, SERVER_FILES, type DevPki } from './dev-pki';
export { devPassphrase, PASSPHRASE_FILE, type DevPassphrase, type PassphraseSource } from './passphrase';
export { gatewayTopology, ALERTS_QUEUE } from './topology';
