/** The gateway's own signing credential (`mmgw`), for Receipts and Rejections. */
export {
  GATEWAY_CODE, GATEWAY_FILES, ensureGatewayIdentity, gatewayIdentityFromPem, issueGatewayIdentity, loadGatewayIdentity, type GatewayIdentity,
} from './gateway-identity';
export { verifyGatewayDocument, type GatewayDocumentCheck } from './verify-gateway-document';
export { signGatewayXml } from './sign-gateway-xml';
