import type { Command } from 'commander';
import { clientIdentity, type ClientOptions } from './identity';
import { defaultGatewayUrl, GatewayClient } from './gateway-client';

/** Adds the options every client command shares: who to act as, which gateway, which data directory. */
export function withClientOptions(cmd: Command): Command {
  return cmd
    .option('--as <code>', 'act as this institution with its dev credential from <data-dir>/pki (e.g. op-cmcc, miit, ca-44)')
    .option('--key <file>', 'the client private key (PEM; its passphrase from MMGW_KEY_PASSPHRASE) instead of a dev credential')
    .option('--cert <file>', 'the client certificate (PEM) going with --key')
    .option('--ca <file>', 'the CA certificate the gateway\'s server certificate must chain to (default: the dev CA of <data-dir>/pki)')
    .option('--gateway <url>', 'the gateway (default: MMGW_LISTEN\'s address, else https://127.0.0.1:8443)')
    .option('--data-dir <dir>', 'the gateway\'s data directory holding the dev PKI (default: MMGW_DATA_DIR, else ./data)');
}

/** The client of the gateway the options name. */
export function clientOf(o: ClientOptions, env: NodeJS.ProcessEnv = process.env): GatewayClient {
  return new GatewayClient(o.gateway ?? defaultGatewayUrl(env), clientIdentity(o, env));
}
